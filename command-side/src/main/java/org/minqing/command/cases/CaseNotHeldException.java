package org.minqing.command.cases;

/**
 * A department or grid worker acted on a case that is not with its organization (or, as an
 * assisting department, took a step only the handling department may take). Nothing was recorded.
 * The edge answers PERMISSION_DENIED.
 */
public class CaseNotHeldException extends RuntimeException {

    private final String caseId;
    private final String organization;

    public CaseNotHeldException(String caseId, String organization, String message) {
        super(message);
        this.caseId = caseId;
        this.organization = organization;
    }

    public String caseId() {
        return caseId;
    }

    public String organization() {
        return organization;
    }
}
