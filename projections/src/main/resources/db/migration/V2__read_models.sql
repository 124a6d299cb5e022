-- Read models built by the projections (module `projections`) and read by the query side.
-- Portable SQL: runs on H2 2.x and PostgreSQL. Enum values are stored by their protobuf names
-- (e.g. CASE_STATE_DISPATCHED, CHANNEL_HOTLINE_12345) so they map 1:1 to the API.
-- Every table can be rebuilt by replaying the event log (the projections' reset handlers
-- empty them).

-- One row per case: everything in minqing.v1.Case except personal data.
CREATE TABLE case_summary (
    case_id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    state               VARCHAR(32)  NOT NULL,
    channel             VARCHAR(32)  NOT NULL,
    partner_reference   VARCHAR(200) NOT NULL,
    -- The partner system (organization) that reported the case.
    partner_system      VARCHAR(200) NOT NULL,
    category            VARCHAR(100) NOT NULL,
    urgency             VARCHAR(32)  NOT NULL,
    title               VARCHAR(1000) NOT NULL,
    description         VARCHAR(20000) NOT NULL,
    district            VARCHAR(64)  NOT NULL,
    grid                VARCHAR(64)  NOT NULL,
    -- The handling department and handler; NULL when the case is not (or no longer) dispatched.
    department          VARCHAR(64),
    handler             VARCHAR(200),
    report_time         TIMESTAMP WITH TIME ZONE NOT NULL,
    create_time         TIMESTAMP WITH TIME ZONE NOT NULL,
    dispatch_time       TIMESTAMP WITH TIME ZONE,
    response_deadline   TIMESTAMP WITH TIME ZONE,
    resolution_deadline TIMESTAMP WITH TIME ZONE,
    acknowledge_time    TIMESTAMP WITH TIME ZONE,
    -- The first contact with the citizen since the latest dispatch.
    contact_time        TIMESTAMP WITH TIME ZONE,
    -- When the response was complete: the later of acknowledge_time and contact_time, once
    -- both are set. Kept as a column so that overdue filters are plain SQL.
    response_time       TIMESTAMP WITH TIME ZONE,
    resolve_time        TIMESTAMP WITH TIME ZONE,
    close_time          TIMESTAMP WITH TIME ZONE,
    update_time         TIMESTAMP WITH TIME ZONE NOT NULL,
    solved              BOOLEAN      NOT NULL,
    satisfaction        VARCHAR(40)  NOT NULL,
    return_count        INTEGER      NOT NULL,
    reopen_count        INTEGER      NOT NULL,
    urge_count          INTEGER      NOT NULL,
    supervised          BOOLEAN      NOT NULL,
    extension_pending   BOOLEAN      NOT NULL,
    merged_into         VARCHAR(64),
    -- The number of events of the case applied to this row (last sequence + 1).
    revision            BIGINT       NOT NULL
);

-- Keyset pagination sorts by one of these columns, then case_id.
CREATE INDEX case_summary_report_time ON case_summary (report_time, case_id);
CREATE INDEX case_summary_update_time ON case_summary (update_time, case_id);
CREATE INDEX case_summary_response_deadline ON case_summary (response_deadline, case_id);
CREATE INDEX case_summary_resolution_deadline ON case_summary (resolution_deadline, case_id);
-- The supervisors' usual filters, each with the default sort.
CREATE INDEX case_summary_state ON case_summary (state, report_time);
CREATE INDEX case_summary_department ON case_summary (department, report_time);
CREATE INDEX case_summary_district_grid ON case_summary (district, grid, report_time);
CREATE INDEX case_summary_category ON case_summary (category, report_time);
CREATE INDEX case_summary_channel ON case_summary (channel, report_time);

-- Personal data of a case (PIPL): kept apart so that list queries cannot leak it and erasure
-- has one place to act on. The position is here too: coordinates can locate a home as well
-- as an address can.
CREATE TABLE case_personal_data (
    case_id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    citizen_name     VARCHAR(200) NOT NULL,
    citizen_phone    VARCHAR(64)  NOT NULL,
    citizen_id_number VARCHAR(64) NOT NULL,
    address          VARCHAR(1000) NOT NULL,
    latitude         DOUBLE PRECISION,
    longitude        DOUBLE PRECISION
);

-- Files attached to the report (visit_id = '') or to a visit's completion (its evidence).
CREATE TABLE case_attachment (
    case_id    VARCHAR(64)   NOT NULL,
    visit_id   VARCHAR(64)   NOT NULL,
    ordinal    INTEGER       NOT NULL,
    uri        VARCHAR(2000) NOT NULL,
    sha256     VARCHAR(64)   NOT NULL,
    media_type VARCHAR(200)  NOT NULL,
    PRIMARY KEY (case_id, visit_id, ordinal)
);

-- Site visits (走访/现场核查), in the order they were scheduled.
CREATE TABLE case_visit (
    case_id            VARCHAR(64)   NOT NULL,
    visit_id           VARCHAR(64)   NOT NULL,
    -- The sequence of the VisitScheduled event: orders the visits.
    schedule_sequence  BIGINT        NOT NULL,
    state              VARCHAR(32)   NOT NULL,
    scheduled_time     TIMESTAMP WITH TIME ZONE NOT NULL,
    place              VARCHAR(1000) NOT NULL,
    purpose            VARCHAR(2000) NOT NULL,
    check_in_time      TIMESTAMP WITH TIME ZONE,
    check_in_latitude  DOUBLE PRECISION,
    check_in_longitude DOUBLE PRECISION,
    complete_time      TIMESTAMP WITH TIME ZONE,
    findings           VARCHAR(20000),
    PRIMARY KEY (case_id, visit_id)
);

CREATE TABLE case_visit_visitor (
    case_id  VARCHAR(64)  NOT NULL,
    visit_id VARCHAR(64)  NOT NULL,
    ordinal  INTEGER      NOT NULL,
    visitor  VARCHAR(200) NOT NULL,
    PRIMARY KEY (case_id, visit_id, ordinal)
);

-- Departments called in to help (吹哨报到), in the order they were first called.
CREATE TABLE case_assisting_department (
    case_id          VARCHAR(64) NOT NULL,
    department       VARCHAR(64) NOT NULL,
    request_sequence BIGINT      NOT NULL,
    PRIMARY KEY (case_id, department)
);

-- Reports of other cases merged into this one (并单).
CREATE TABLE case_linked_report (
    case_id           VARCHAR(64)  NOT NULL,
    source_case_id    VARCHAR(64)  NOT NULL,
    channel           VARCHAR(32)  NOT NULL,
    partner_reference VARCHAR(200) NOT NULL,
    link_sequence     BIGINT       NOT NULL,
    PRIMARY KEY (case_id, source_case_id)
);

-- A case's history in words: one row per event, never personal data.
CREATE TABLE case_timeline (
    case_id            VARCHAR(64)   NOT NULL,
    sequence           BIGINT        NOT NULL,
    event_time         TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The protobuf full name, e.g. minqing.v1.CaseDispatched.
    event_type         VARCHAR(200)  NOT NULL,
    actor_id           VARCHAR(200)  NOT NULL,
    actor_role         VARCHAR(64)   NOT NULL,
    actor_organization VARCHAR(200)  NOT NULL,
    partner_system     VARCHAR(200)  NOT NULL,
    summary            VARCHAR(4000) NOT NULL,
    correlation_id     VARCHAR(200)  NOT NULL,
    request_id         VARCHAR(200)  NOT NULL,
    PRIMARY KEY (case_id, sequence)
);
