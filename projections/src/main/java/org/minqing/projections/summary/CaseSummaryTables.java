package org.minqing.projections.summary;

/**
 * The tables of the case-summary read model, as its readers name them. Written by
 * {@link CaseSummaryProjection}, {@link CaseVisitsProjection} and {@link CaseAttachments}; created
 * by {@code db/migration/V2__read_models.sql} and altered by V5–V7.
 */
public final class CaseSummaryTables {

    /** One row per case: its state, department, deadlines, response and follow-up. */
    public static final String CASE_SUMMARY = "case_summary";
    /** The citizen's name, phone, ID number and address, apart, so they can be withheld or erased. */
    public static final String CASE_PERSONAL_DATA = "case_personal_data";
    /** Attachments of the report (visit_id empty) and of visits. */
    public static final String CASE_ATTACHMENT = "case_attachment";
    public static final String CASE_VISIT = "case_visit";
    public static final String CASE_VISIT_VISITOR = "case_visit_visitor";
    public static final String CASE_ASSISTING_DEPARTMENT = "case_assisting_department";
    /** Reports merged into the case (their source case ids). */
    public static final String CASE_LINKED_REPORT = "case_linked_report";

    private CaseSummaryTables() {
    }
}
