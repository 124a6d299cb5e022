package org.minqing.command.cases;

/**
 * A report under a (channel, partner reference) that already names a case, with different content:
 * not a retry but a second report under one reference, which is the partner's bug. Nothing is
 * recorded. The transport answers ALREADY_EXISTS naming the case.
 */
public class ReportConflictException extends RuntimeException {

    private final String caseId;
    private final String partnerReference;

    public ReportConflictException(String caseId, String partnerReference) {
        super("partner reference " + partnerReference + " already names case " + caseId, null, false, false);
        this.caseId = caseId;
        this.partnerReference = partnerReference;
    }

    public String caseId() {
        return caseId;
    }

    public String partnerReference() {
        return partnerReference;
    }
}
