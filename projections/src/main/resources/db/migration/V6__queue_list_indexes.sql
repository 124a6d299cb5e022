-- Indexes for the case lists people open most after the newest-first ones (V5), each matching the
-- ORDER BY the query side writes for a list filtered to one value of the leading column
-- (CaseOrder): what changed most recently, overall and in one state (a partner system syncing, a
-- supervisor watching a state); and a department's or a grid's queue, soonest resolution deadline
-- first, undispatched cases (no deadline) last. Without them such a list over 200,000 cases sorted
-- every match (state + recently updated: p50 1.1 s; docs/benchmarks.md).
CREATE INDEX case_summary_recently_updated ON case_summary (update_time DESC, case_id DESC);
CREATE INDEX case_summary_state_recently_updated ON case_summary (state, update_time DESC, case_id DESC);
CREATE INDEX case_summary_department_due ON case_summary (department, resolution_deadline ASC NULLS LAST, case_id ASC);
CREATE INDEX case_summary_grid_due ON case_summary (grid, resolution_deadline ASC NULLS LAST, case_id ASC);
