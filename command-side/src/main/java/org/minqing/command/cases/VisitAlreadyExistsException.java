package org.minqing.command.cases;

/** A visit was scheduled under an id the case already uses. The transport answers ALREADY_EXISTS. */
public class VisitAlreadyExistsException extends RuntimeException {

    private final String caseId;
    private final String visitId;

    public VisitAlreadyExistsException(String caseId, String visitId) {
        super("case " + caseId + " already has a visit " + visitId);
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
