package org.minqing.command.deadlinewatch;

import java.time.Instant;

import com.google.protobuf.Timestamp;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AllowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.minqing.api.v1.CaseAcknowledged;
import org.minqing.api.v1.CaseClosed;
import org.minqing.api.v1.CaseDispatched;
import org.minqing.api.v1.CaseMerged;
import org.minqing.api.v1.CaseRejected;
import org.minqing.api.v1.CaseReopened;
import org.minqing.api.v1.CaseResolved;
import org.minqing.api.v1.CaseReturned;
import org.minqing.api.v1.CaseTransferred;
import org.minqing.api.v1.CitizenContacted;
import org.minqing.api.v1.DeadlineBreached;
import org.minqing.api.v1.DeadlineKind;
import org.minqing.api.v1.Deadlines;
import org.minqing.api.v1.ExtensionApproved;
import org.minqing.api.v1.ProtoTime;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps {@code deadline_timer} in step with the deadlines the events record: one timer per case
 * and kind, replaced by every new deadline (transfer, reopen, approved extension) and removed
 * when the step is done — the response when an event records it complete ({@code response_time}),
 * the resolution when the case is resolved — or the case leaves the department. A timer that
 * fires late anyway (a history recorded before responses were, a race with the step) is declined
 * by the case itself.
 */
@ProcessingGroup(DeadlineTimers.PROCESSING_GROUP)
@AllowReplay
public class DeadlineTimers {

    public static final String PROCESSING_GROUP = "deadline-timers";

    private static final DeadlineKind RESPONSE = DeadlineKind.DEADLINE_KIND_RESPONSE;
    private static final DeadlineKind RESOLUTION = DeadlineKind.DEADLINE_KIND_RESOLUTION;

    private final JdbcTemplate jdbc;

    public DeadlineTimers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(CaseDispatched e) {
        replace(e.getCaseId(), e.getDeadlines());
    }

    @EventHandler
    void on(CaseTransferred e) {
        replace(e.getCaseId(), e.getDeadlines());
    }

    @EventHandler
    void on(CaseReopened e) {
        replace(e.getCaseId(), e.getDeadlines());
    }

    @EventHandler
    void on(CaseAcknowledged e) {
        if (e.hasResponseTime()) {
            set(e.getCaseId(), RESPONSE, null);
        }
    }

    @EventHandler
    void on(CitizenContacted e) {
        if (e.hasResponseTime()) {
            set(e.getCaseId(), RESPONSE, null);
        }
    }

    @EventHandler
    void on(ExtensionApproved e) {
        set(e.getCaseId(), RESOLUTION, e.getResolutionDeadline());
    }

    @EventHandler
    void on(DeadlineBreached e) {
        jdbc.update("DELETE FROM deadline_timer WHERE case_id = ? AND kind = ? AND deadline = ?",
                e.getCaseId(), e.getKind().name(), ProtoTime.instant(e.getDeadline()).toString());
    }

    @EventHandler
    void on(CaseResolved e) {
        cancelAll(e.getCaseId());
    }

    @EventHandler
    void on(CaseReturned e) {
        cancelAll(e.getCaseId());
    }

    @EventHandler
    void on(CaseClosed e) {
        cancelAll(e.getCaseId());
    }

    @EventHandler
    void on(CaseMerged e) {
        cancelAll(e.getCaseId());
    }

    @EventHandler
    void on(CaseRejected e) {
        cancelAll(e.getCaseId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM deadline_timer");
    }

    /** A reopen's deadlines have no response deadline: that timer goes. */
    private void replace(String caseId, Deadlines deadlines) {
        set(caseId, RESPONSE, deadlines.hasResponseDeadline() ? deadlines.getResponseDeadline() : null);
        set(caseId, RESOLUTION, deadlines.hasResolutionDeadline() ? deadlines.getResolutionDeadline() : null);
    }

    private void set(String caseId, DeadlineKind kind, Timestamp deadline) {
        jdbc.update("DELETE FROM deadline_timer WHERE case_id = ? AND kind = ?", caseId, kind.name());
        if (deadline != null) {
            Instant due = ProtoTime.instant(deadline);
            jdbc.update("INSERT INTO deadline_timer (case_id, kind, deadline, due_ms) VALUES (?, ?, ?, ?)",
                    caseId, kind.name(), due.toString(), due.toEpochMilli());
        }
    }

    private void cancelAll(String caseId) {
        jdbc.update("DELETE FROM deadline_timer WHERE case_id = ?", caseId);
    }
}
