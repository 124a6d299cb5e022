package org.minqing.edge.queries;

import java.util.Map;

import org.minqing.api.v1.Role;
import org.minqing.api.v1.Roles;
import org.minqing.edge.Caller;
import org.minqing.edge.Refusals;
import org.minqing.query.cases.CaseHolders;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a caller limited to its own cases may read (docs/api.md, "Who may do what"): a department
 * or grid worker the cases dispatched to its organization or that it assists, a partner the
 * cases it reported. Everyone else reads everything its role may call.
 */
final class ReadScope {

    private ReadScope() {
    }

    /**
     * Refuses a case the caller may not see with PERMISSION_DENIED; a case that does not exist is
     * refused the same way, so a caller cannot probe for cases outside its scope.
     */
    static void requireVisible(JdbcClient jdbc, String caseId, String method) {
        Caller caller = Caller.current();
        boolean handler = Roles.handlesCases(caller.role());
        boolean partner = isPartner(caller);
        if (!handler && !partner) {
            return;
        }
        boolean visible = CaseHolders.of(jdbc, caseId)
                .map(holders -> handler ? holders.heldBy(caller.organization())
                        : caller.organization().equals(holders.partnerSystem()))
                .orElse(false);
        if (!visible) {
            throw Refusals.permissionDenied(Refusals.CASE_NOT_VISIBLE, "case cases/" + caseId + " is not "
                    + (handler ? "dispatched to " + caller.organization() + " nor assisted by it"
                    : "one " + caller.organization() + " reported"), caller, method, Map.of("case", "cases/" + caseId));
        }
    }

    /**
     * The department filter a request may use: a department's or grid worker's own organization
     * (also when the request named none), anything for other callers.
     */
    static String department(String requested, String method) {
        Caller caller = Caller.current();
        if (!Roles.handlesCases(caller.role())) {
            return requested;
        }
        if (!requested.isEmpty() && !requested.equals(caller.organization())) {
            throw Refusals.permissionDenied(Refusals.CASE_NOT_VISIBLE, caller.organization()
                    + " may read only its own cases, not department " + requested, caller, method,
                    Map.of("department", requested));
        }
        return caller.organization();
    }

    /** The partner system a list is limited to: the caller's organization for a partner, else none. */
    static String partnerSystem() {
        Caller caller = Caller.current();
        return isPartner(caller) ? caller.organization() : null;
    }

    private static boolean isPartner(Caller caller) {
        return Roles.name(Role.ROLE_PARTNER).equals(caller.role());
    }
}
