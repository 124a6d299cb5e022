-- The Merkle log over the whole event log (docs/audit.md, "The Merkle log"): one leaf per event,
-- in log order, committing to its case, sequence and chain hash; the roots of the perfect
-- subtrees (level k, index i: leaves i*2^k .. (i+1)*2^k - 1) from which any root and proof is
-- made; and the signed checkpoints. Derived from the log, but kept: a checkpoint handed to a
-- witness commits to these leaves in this order.
CREATE TABLE merkle_leaf (
    leaf_index      BIGINT       NOT NULL PRIMARY KEY,
    case_id         VARCHAR(255) NOT NULL,
    sequence_number BIGINT       NOT NULL,
    chain_hash      BYTEA        NOT NULL,
    CONSTRAINT merkle_leaf_event UNIQUE (case_id, sequence_number)
);

-- Where in the log the leaves end: the export position of the last leaf's event, with the gaps
-- below it (so an event that commits into a gap late is still seen, and reported).
CREATE TABLE merkle_log_position (
    id       INT             NOT NULL PRIMARY KEY,
    position VARCHAR(200000) NOT NULL
);

CREATE TABLE merkle_node (
    level      INT    NOT NULL,
    node_index BIGINT NOT NULL,
    hash       BYTEA  NOT NULL,
    PRIMARY KEY (level, node_index)
);

CREATE TABLE merkle_checkpoint (
    tree_size BIGINT                   NOT NULL PRIMARY KEY,
    root_hash BYTEA                    NOT NULL,
    note      VARCHAR(4000)            NOT NULL,
    signed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
