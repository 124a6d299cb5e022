-- Crypto-shredding (docs/privacy.md): the keys that seal citizens' personal data in events. They
-- live beside the ledger, in this database, on every engine (on KurrentDB too: never in the log).

-- The data keys of each citizen (one live one at a time), wrapped (AES-256-GCM) by the master key
-- named by master_key_id. Erasure destroys all of a citizen's: wrapped_key becomes NULL, and who,
-- when and why are kept.
CREATE TABLE personal_data_key (
    key_id        VARCHAR(32)              NOT NULL PRIMARY KEY,
    citizen       VARCHAR(64)              NOT NULL,
    master_key_id VARCHAR(16)              NOT NULL,
    wrapped_key   BYTEA,
    create_time   TIMESTAMP WITH TIME ZONE NOT NULL,
    erase_time    TIMESTAMP WITH TIME ZONE,
    erased_by     VARCHAR(255),
    erase_reason  VARCHAR(1000)
);
CREATE INDEX personal_data_key_citizen ON personal_data_key (citizen);

-- Which cases' events each citizen's key seals (written with the case's first sealed event).
CREATE TABLE personal_data_case (
    case_id VARCHAR(255) NOT NULL PRIMARY KEY,
    citizen VARCHAR(64)  NOT NULL
);
CREATE INDEX personal_data_case_citizen ON personal_data_case (citizen);

-- Secrets of the scheme itself, wrapped by the master key: the key that turns a citizen's ID
-- number or phone into their pseudonymous reference.
CREATE TABLE privacy_secret (
    name          VARCHAR(64) NOT NULL PRIMARY KEY,
    master_key_id VARCHAR(16) NOT NULL,
    wrapped       BYTEA       NOT NULL
);

-- Cases whose PersonalDataErased is still to be recorded after their citizen's key was destroyed
-- (an erasure reaches every case of the citizen; a kill -9 part-way leaves the rest here).
CREATE TABLE personal_data_erasure (
    case_id      VARCHAR(255)             NOT NULL PRIMARY KEY,
    citizen      VARCHAR(64)              NOT NULL,
    reason       VARCHAR(1000)            NOT NULL,
    requested_by VARCHAR(255)             NOT NULL,
    request_time TIMESTAMP WITH TIME ZONE NOT NULL
);
