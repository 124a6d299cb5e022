package org.minqing.projections.timeline;

/**
 * The table of the timeline read model, as its readers name it: one row per event of a case.
 * Written by {@link CaseTimelineProjection}; created by {@code db/migration/V2__read_models.sql}, numbered
 * for the change feed by {@code V13__case_feed.sql}.
 */
public final class TimelineTables {

    public static final String CASE_TIMELINE = "case_timeline";

    private TimelineTables() {
    }
}
