-- Indexes for the case lists people open most after the newest-first ones (V5), each matching the
-- ORDER BY the query side writes for a list filtered to one value of the leading column
-- (CaseOrder): what changed most recently in one state (a supervisor watching a state, a partner
-- system syncing), and a department's or a grid's queue, soonest resolution deadline first,
-- undispatched cases (no deadline) last. Most recently updated overall needs none: H2 reads
-- case_summary_update_time backwards.
CREATE INDEX case_summary_state_recently_updated ON case_summary (state, update_time DESC, case_id DESC);
CREATE INDEX case_summary_department_due ON case_summary (department, resolution_deadline ASC NULLS LAST, case_id ASC);
CREATE INDEX case_summary_grid_due ON case_summary (grid, resolution_deadline ASC NULLS LAST, case_id ASC);

-- V5's newest-first indexes do everything these did. Worse, H2 chooses among indexes that match
-- the WHERE equally well without regard to the ORDER BY: with these present it read a state's
-- list by (state, report_time) and sorted every match (p50 1.2 s at 200,000 cases, 2 ms without).
DROP INDEX case_summary_state;
DROP INDEX case_summary_department;
DROP INDEX case_summary_category;
DROP INDEX case_summary_channel;
