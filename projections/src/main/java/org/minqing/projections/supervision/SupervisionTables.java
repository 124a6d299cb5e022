package org.minqing.projections.supervision;

/**
 * The tables of the supervision read model, as its readers name them. Written by
 * {@link SupervisionProjection}; created by {@code db/migration/V4__supervision_read_models.sql}.
 * The fact tables are what the rates count (docs/metrics.md).
 */
public final class SupervisionTables {

    /** One row per case: what the worklists filter and order by. */
    public static final String SUPERVISION_CASE = "supervision_case";
    /** Urges, supervision, extensions and breaches of a case, in order. */
    public static final String SUPERVISION_HISTORY = "supervision_history";
    /** One fact per dispatch or transfer, with its response. */
    public static final String SUPERVISION_ASSIGNMENT = "supervision_assignment";
    /** One fact per resolution, with its follow-up. */
    public static final String SUPERVISION_RESOLUTION = "supervision_resolution";
    /** One fact per deadline breached. */
    public static final String SUPERVISION_BREACH = "supervision_breach";

    private SupervisionTables() {
    }
}
