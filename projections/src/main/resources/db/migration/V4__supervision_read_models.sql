-- Read models for supervision (projection "supervision"): the worklist and the facts the rates
-- are computed from (docs/metrics.md). Times that the worklist and the rates compute with are
-- epoch milliseconds (BIGINT), so that "share of the time limit used" and period ranges are plain
-- portable arithmetic. Rebuilt by replaying the log; no personal data.

-- One row per case: what the worklist shows and filters by, and the deadlines still pending.
CREATE TABLE supervision_case (
    case_id                VARCHAR(64)   NOT NULL PRIMARY KEY,
    title                  VARCHAR(1000) NOT NULL,
    state                  VARCHAR(32)   NOT NULL,
    channel                VARCHAR(32)   NOT NULL,
    category               VARCHAR(100)  NOT NULL,
    urgency                VARCHAR(32)   NOT NULL,
    district               VARCHAR(64)   NOT NULL,
    grid                   VARCHAR(64)   NOT NULL,
    -- The department holding the case; '' before the first dispatch.
    department             VARCHAR(64)   NOT NULL,
    -- Since the latest dispatch or transfer: when acknowledged and when the citizen was contacted.
    acknowledge_ms         BIGINT,
    contact_ms             BIGINT,
    -- A pending deadline and when its time started; both NULL once the step is done or void.
    response_start_ms      BIGINT,
    response_deadline_ms   BIGINT,
    resolution_start_ms    BIGINT,
    resolution_deadline_ms BIGINT,
    -- The earlier pending deadline: the worklist's order. NULL when nothing is pending.
    next_deadline_ms       BIGINT,
    urge_count             INTEGER       NOT NULL,
    supervised             BOOLEAN       NOT NULL,
    extension_pending      BOOLEAN       NOT NULL,
    revision               BIGINT        NOT NULL
);

CREATE INDEX supervision_case_next_deadline ON supervision_case (next_deadline_ms, case_id);

-- Urging, supervision, extensions and breaches of each case, in order.
CREATE TABLE supervision_history (
    case_id  VARCHAR(64)   NOT NULL,
    sequence BIGINT        NOT NULL,
    action   VARCHAR(48)   NOT NULL,
    action_time TIMESTAMP WITH TIME ZONE NOT NULL,
    actor    VARCHAR(200)  NOT NULL,
    text     VARCHAR(2000) NOT NULL,
    PRIMARY KEY (case_id, sequence)
);

-- One row per assignment of a case to a department (a dispatch or a transfer, by its event's
-- sequence): the response and return rates count these.
CREATE TABLE supervision_assignment (
    case_id              VARCHAR(64)  NOT NULL,
    sequence             BIGINT       NOT NULL,
    department           VARCHAR(64)  NOT NULL,
    district             VARCHAR(64)  NOT NULL,
    grid                 VARCHAR(64)  NOT NULL,
    category             VARCHAR(100) NOT NULL,
    channel              VARCHAR(32)  NOT NULL,
    assigned_ms          BIGINT       NOT NULL,
    response_deadline_ms BIGINT,
    -- When the response was complete (acknowledged and contacted); NULL if it never was.
    responded_ms         BIGINT,
    returned             BOOLEAN      NOT NULL,
    PRIMARY KEY (case_id, sequence)
);

CREATE INDEX supervision_assignment_time ON supervision_assignment (assigned_ms);

-- One row per resolution (办结, by its event's sequence), with what followed it: the on-time,
-- reopen, resolution and satisfaction rates count these.
CREATE TABLE supervision_resolution (
    case_id                VARCHAR(64)  NOT NULL,
    sequence               BIGINT       NOT NULL,
    department             VARCHAR(64)  NOT NULL,
    district               VARCHAR(64)  NOT NULL,
    grid                   VARCHAR(64)  NOT NULL,
    category               VARCHAR(100) NOT NULL,
    channel                VARCHAR(32)  NOT NULL,
    -- The dispatch, transfer or reopen that started the handling this resolution ended.
    handling_start_ms      BIGINT       NOT NULL,
    resolution_deadline_ms BIGINT,
    resolved_ms            BIGINT       NOT NULL,
    reopened               BOOLEAN      NOT NULL,
    -- The follow-up that stands for this resolution (the latest); NULL until there is one.
    feedback_ms            BIGINT,
    solved                 BOOLEAN,
    satisfaction           VARCHAR(40),
    PRIMARY KEY (case_id, sequence)
);

CREATE INDEX supervision_resolution_time ON supervision_resolution (resolved_ms);
CREATE INDEX supervision_resolution_feedback ON supervision_resolution (feedback_ms);

-- One row per DeadlineBreached event.
CREATE TABLE supervision_breach (
    case_id     VARCHAR(64)  NOT NULL,
    sequence    BIGINT       NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    department  VARCHAR(64)  NOT NULL,
    district    VARCHAR(64)  NOT NULL,
    grid        VARCHAR(64)  NOT NULL,
    category    VARCHAR(100) NOT NULL,
    channel     VARCHAR(32)  NOT NULL,
    deadline_ms BIGINT       NOT NULL,
    PRIMARY KEY (case_id, sequence)
);

CREATE INDEX supervision_breach_deadline ON supervision_breach (deadline_ms);
