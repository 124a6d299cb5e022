package org.minqing.command.cases;

import java.util.List;

/**
 * A command that does not fit the case as it is now. Nothing was recorded. The transport answers
 * FAILED_PRECONDITION with the current state and the actions allowed in it.
 */
public class CaseRefusedException extends RuntimeException {

    private final String caseId;
    private final CaseStatus status;
    private final CaseAction action;
    private final List<CaseAction> allowed;

    public CaseRefusedException(String caseId, CaseStatus status, CaseAction action, String message) {
        super(message);
        this.caseId = caseId;
        this.status = status;
        this.action = action;
        this.allowed = status.allowed();
    }

    public String caseId() {
        return caseId;
    }

    public CaseStatus status() {
        return status;
    }

    public CaseAction action() {
        return action;
    }

    public List<CaseAction> allowed() {
        return allowed;
    }
}
