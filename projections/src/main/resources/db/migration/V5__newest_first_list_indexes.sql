-- Supervisors list cases newest first, usually filtered by one of these columns. H2 reads rows in
-- an index's order (instead of fetching every match and sorting) only when the ORDER BY names the
-- index's columns in the index's directions, so the query side orders a filtered list by
-- (filter column, report_time DESC, case_id DESC) and these indexes match it. Without them a
-- district's list over 1,000,000 cases took 12–18 s (docs/benchmarks.md, scenario 5).
CREATE INDEX case_summary_newest ON case_summary (report_time DESC, case_id DESC);
CREATE INDEX case_summary_grid_newest ON case_summary (grid, report_time DESC, case_id DESC);
CREATE INDEX case_summary_department_newest ON case_summary (department, report_time DESC, case_id DESC);
CREATE INDEX case_summary_district_newest ON case_summary (district, report_time DESC, case_id DESC);
CREATE INDEX case_summary_category_newest ON case_summary (category, report_time DESC, case_id DESC);
CREATE INDEX case_summary_channel_newest ON case_summary (channel, report_time DESC, case_id DESC);
CREATE INDEX case_summary_state_newest ON case_summary (state, report_time DESC, case_id DESC);
