package org.minqing.command.cases;

import static org.minqing.command.cases.CaseAction.*;

import java.util.List;

/**
 * Where a case is in its life, and what may happen to it there: the state machine in one table.
 * Names match the API's {@code CASE_STATE_*} values without the prefix.
 */
public enum CaseStatus {
    REPORTED(ACCEPT, REJECT, MERGE, ADD_PROGRESS_NOTE),
    ACCEPTED(DISPATCH, MERGE, ADD_PROGRESS_NOTE, URGE, SUPERVISE),
    REJECTED,
    MERGED,
    DISPATCHED(ACKNOWLEDGE, RECORD_CONTACT, RETURN, TRANSFER, REQUEST_ASSISTANCE, ADD_PROGRESS_NOTE,
            REQUEST_EXTENSION, APPROVE_EXTENSION, REFUSE_EXTENSION, URGE, SUPERVISE),
    RETURNED(DISPATCH, ADD_PROGRESS_NOTE, URGE, SUPERVISE),
    IN_PROGRESS(RECORD_CONTACT, SCHEDULE_VISIT, RESCHEDULE_VISIT, CANCEL_VISIT, CHECK_IN_VISIT, COMPLETE_VISIT,
            ADD_PROGRESS_NOTE, RESOLVE, RETURN, TRANSFER, REQUEST_ASSISTANCE, REQUEST_EXTENSION,
            APPROVE_EXTENSION, REFUSE_EXTENSION, URGE, SUPERVISE),
    RESOLVED(RECORD_FEEDBACK, REOPEN, ADD_PROGRESS_NOTE),
    FOLLOWED_UP(CLOSE, REOPEN, RECORD_FEEDBACK, ADD_PROGRESS_NOTE),
    CLOSED(REOPEN); // within the reopen window only: a citizen's renewed complaint (重办)

    private final List<CaseAction> allowed;

    CaseStatus(CaseAction... allowed) {
        this.allowed = List.of(allowed);
    }

    public List<CaseAction> allowed() {
        return allowed;
    }

    public boolean allows(CaseAction action) {
        return allowed.contains(action);
    }
}
