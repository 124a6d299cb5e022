package org.minqing.command.cases;

/** A command named a visit the case does not have. The transport answers NOT_FOUND. */
public class VisitNotFoundException extends RuntimeException {

    private final String caseId;
    private final String visitId;

    public VisitNotFoundException(String caseId, String visitId) {
        super("case " + caseId + " has no visit " + visitId);
        this.caseId = caseId;
        this.visitId = visitId;
    }

    public String caseId() {
        return caseId;
    }

    public String visitId() {
        return visitId;
    }
}
