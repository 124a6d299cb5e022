package org.minqing.query.cases;

import static org.minqing.projections.summary.CaseSummaryTables.CASE_ASSISTING_DEPARTMENT;
import static org.minqing.projections.summary.CaseSummaryTables.CASE_SUMMARY;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who holds a case as the read model last saw it: the department it is dispatched to (empty when
 * none), the departments assisting, and the partner system that reported it. Read access for
 * callers limited to their own cases is decided from this.
 */
public record CaseHolders(String department, List<String> assistingDepartments, String partnerSystem) {

    public boolean heldBy(String organization) {
        return organization.equals(department) || assistingDepartments.contains(organization);
    }

    /** The case's holders; empty for a case the read model does not have. */
    public static Optional<CaseHolders> of(JdbcClient jdbc, String caseId) {
        return jdbc.sql("SELECT department, partner_system FROM " + CASE_SUMMARY + " WHERE case_id = :id").param("id", caseId)
                .query((rs, n) -> new CaseHolders(rs.getString("department") == null ? "" : rs.getString("department"),
                        jdbc.sql("SELECT department FROM " + CASE_ASSISTING_DEPARTMENT + " WHERE case_id = :id")
                                .param("id", caseId).query(String.class).list(),
                        rs.getString("partner_system")))
                .optional();
    }
}
