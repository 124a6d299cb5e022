-- Whether a case's personal data can still be read (minqing.v1.PersonalDataState): erased or
-- unavailable cases keep their row with the personal columns emptied.
ALTER TABLE case_personal_data ADD COLUMN personal_data VARCHAR(40) DEFAULT 'PERSONAL_DATA_STATE_AVAILABLE' NOT NULL;
