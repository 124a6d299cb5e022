-- Where each webhook subscription's deliveries stand (the outbox is the change feed itself:
-- case_timeline by feed_position, written in the projection's transaction). One row per
-- subscription, claimed by one process at a time through its lease.
CREATE TABLE webhook_subscription_state (
    subscription  VARCHAR(64)   NOT NULL PRIMARY KEY,
    -- The feed position delivered (or passed over) up to, inclusive.
    feed_position BIGINT        NOT NULL,
    owner         VARCHAR(200),
    lease_until   TIMESTAMP WITH TIME ZONE,
    -- Failed attempts at the next entry, and when to try it again.
    attempts      INT           NOT NULL,
    next_attempt  TIMESTAMP WITH TIME ZONE,
    last_error    VARCHAR(1000),
    last_delivery TIMESTAMP WITH TIME ZONE,
    delivered     BIGINT        NOT NULL
);
