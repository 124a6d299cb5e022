-- Whether a case's personal data can still be read (minqing.v1.PersonalDataState): erased or
-- unavailable cases keep their row with the personal columns emptied. A report's personal data is
-- kept as its sealed envelope (SealedPersonalData), opened when a full view is read, so the
-- database never holds it in the clear; the plain columns serve reports recorded before sealing.
ALTER TABLE case_personal_data ADD COLUMN personal_data VARCHAR(40) DEFAULT 'PERSONAL_DATA_STATE_AVAILABLE' NOT NULL;
ALTER TABLE case_personal_data ADD COLUMN sealed BYTEA;
