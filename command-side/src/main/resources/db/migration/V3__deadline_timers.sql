-- Pending deadlines, kept by the deadline-timers processor from the deadlines recorded in the
-- events (its token in token_entry commits with these rows), fired by the deadline watch.
-- Rebuildable: a replay of the log refills it. Portable to PostgreSQL.
CREATE TABLE deadline_timer (
    case_id  VARCHAR(255) NOT NULL,
    -- DEADLINE_KIND_RESPONSE or DEADLINE_KIND_RESOLUTION
    kind     VARCHAR(32)  NOT NULL,
    -- The deadline exactly as recorded (ISO-8601 instant): the watch sends it back to the case,
    -- which records a breach only if it is still the deadline in force.
    deadline VARCHAR(40)  NOT NULL,
    -- The same instant in epoch milliseconds, for finding due timers.
    due_ms   BIGINT       NOT NULL,
    PRIMARY KEY (case_id, kind)
);

CREATE INDEX deadline_timer_due ON deadline_timer (due_ms);
