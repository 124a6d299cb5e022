-- H2 only (spring.flyway.locations adds db/{vendor}): H2 persists an identity column's next
-- value every CACHE values in a commit of its own, which with WRITE_DELAY=0 is one more file write;
-- at the default of 32 that was an eighth of the timeline projection's time. After a crash the
-- feed's positions skip ahead by up to this many; the feed orders by position and allows gaps.
-- Not on PostgreSQL, where a sequence's cache is per connection and would break the feed's order.
ALTER TABLE case_timeline ALTER COLUMN feed_position SET CACHE 1000;
