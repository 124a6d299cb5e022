-- Every read-model column holds the longest value the command API accepts (CaseCommandGrpcService,
-- RequestChecks): a narrower column failed the projection after the command had returned OK, so
-- the event was skipped (H2) or retried forever (PostgreSQL). Codes (category, district, grid,
-- department) are up to 128 characters, attachment URIs 2,048, media types 255, visit places 2,000.

ALTER TABLE case_summary ALTER COLUMN category SET DATA TYPE VARCHAR(128);
ALTER TABLE case_summary ALTER COLUMN district SET DATA TYPE VARCHAR(128);
ALTER TABLE case_summary ALTER COLUMN grid SET DATA TYPE VARCHAR(128);
ALTER TABLE case_summary ALTER COLUMN department SET DATA TYPE VARCHAR(128);

ALTER TABLE case_attachment ALTER COLUMN uri SET DATA TYPE VARCHAR(2048);
ALTER TABLE case_attachment ALTER COLUMN media_type SET DATA TYPE VARCHAR(255);

ALTER TABLE case_visit ALTER COLUMN place SET DATA TYPE VARCHAR(2000);

ALTER TABLE case_assisting_department ALTER COLUMN department SET DATA TYPE VARCHAR(128);

ALTER TABLE supervision_case ALTER COLUMN category SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_case ALTER COLUMN district SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_case ALTER COLUMN grid SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_case ALTER COLUMN department SET DATA TYPE VARCHAR(128);

-- An extension's entry is "to <instant>: <reason or note>": up to 3 + 30 + 2 + 2,000 characters.
ALTER TABLE supervision_history ALTER COLUMN text SET DATA TYPE VARCHAR(2100);

ALTER TABLE supervision_assignment ALTER COLUMN department SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_assignment ALTER COLUMN district SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_assignment ALTER COLUMN grid SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_assignment ALTER COLUMN category SET DATA TYPE VARCHAR(128);

ALTER TABLE supervision_resolution ALTER COLUMN department SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_resolution ALTER COLUMN district SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_resolution ALTER COLUMN grid SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_resolution ALTER COLUMN category SET DATA TYPE VARCHAR(128);

ALTER TABLE supervision_breach ALTER COLUMN department SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_breach ALTER COLUMN district SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_breach ALTER COLUMN grid SET DATA TYPE VARCHAR(128);
ALTER TABLE supervision_breach ALTER COLUMN category SET DATA TYPE VARCHAR(128);
