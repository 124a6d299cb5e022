package org.minqing.query.cases;

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
        return jdbc.sql("SELECT department, partner_system FROM case_summary WHERE case_id = :id").param("id", caseId)
                .query((rs, n) -> new CaseHolders(rs.getString("department") == null ? "" : rs.getString("department"),
                        jdbc.sql("SELECT department FROM case_assisting_department WHERE case_id = :id")
                                .param("id", caseId).query(String.class).list(),
                        rs.getString("partner_system")))
                .optional();
    }
}
