package org.minqing.command.cases;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.minqing.api.v1.ProtoTime.timestamp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.EntityId;
import org.minqing.api.v1.VisitCancelled;
import org.minqing.api.v1.VisitCheckedIn;
import org.minqing.api.v1.VisitCompleted;
import org.minqing.api.v1.VisitRescheduled;
import org.minqing.api.v1.VisitScheduled;
import org.minqing.api.v1.VisitState;
import org.minqing.command.cases.CaseCommands.CancelVisit;
import org.minqing.command.cases.CaseCommands.CheckInVisit;
import org.minqing.command.cases.CaseCommands.CompleteVisit;
import org.minqing.command.cases.CaseCommands.RescheduleVisit;

/**
 * A site visit (上门走访) of a case: scheduled, then checked in on the spot, then completed — or
 * cancelled while still only scheduled. The case forwards a visit's steps here once it has checked
 * that it is in progress and has the visit ({@link Case#visitStepFits}); the visit decides whether
 * the step fits the visit.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Visit {

    @EntityId
    private String visitId;
    private VisitState state;
    /** Who may check in; empty: anyone the department sends. */
    private List<String> visitors;

    Visit() {
        // for snapshots
    }

    Visit(VisitScheduled scheduled) {
        visitId = scheduled.getVisitId();
        state = VisitState.VISIT_STATE_SCHEDULED;
        visitors = List.copyOf(scheduled.getVisitorsList());
    }

    VisitState state() {
        return state;
    }

    boolean open() {
        return state == VisitState.VISIT_STATE_SCHEDULED || state == VisitState.VISIT_STATE_CHECKED_IN;
    }

    @CommandHandler
    void handle(RescheduleVisit cmd) {
        require(VisitState.VISIT_STATE_SCHEDULED, "rescheduled");
        VisitRescheduled.Builder rescheduled = VisitRescheduled.newBuilder()
                .setCaseId(cmd.caseId())
                .setVisitId(visitId)
                .setPlace(cmd.place())
                .setReason(cmd.reason());
        if (cmd.scheduledTime() != null) {
            rescheduled.setScheduledTime(timestamp(cmd.scheduledTime()));
        }
        apply(rescheduled.build());
    }

    @CommandHandler
    void handle(CancelVisit cmd) {
        require(VisitState.VISIT_STATE_SCHEDULED, "cancelled");
        apply(VisitCancelled.newBuilder().setCaseId(cmd.caseId()).setVisitId(visitId).setReason(cmd.reason()).build());
    }

    /** The case has checked a given check-in time against its assignment. */
    @CommandHandler
    void handle(CheckInVisit cmd, Clock clock) {
        require(VisitState.VISIT_STATE_SCHEDULED, "checked in");
        if (!visitors.isEmpty() && !visitors.contains(cmd.visitor())) {
            throw new VisitStepRefused("visit " + visitId + " is for " + String.join(", ", visitors)
                    + ", not " + cmd.visitor() + "; to send someone else, cancel it and schedule a visit for them");
        }
        Instant checkInTime = cmd.checkInTime() != null ? cmd.checkInTime() : clock.instant();
        VisitCheckedIn.Builder checkedIn = VisitCheckedIn.newBuilder()
                .setCaseId(cmd.caseId())
                .setVisitId(visitId)
                .setCheckInTime(timestamp(checkInTime))
                .setVisitor(cmd.visitor());
        if (cmd.position() != null) {
            checkedIn.setPosition(cmd.position());
        }
        apply(checkedIn.build());
    }

    @CommandHandler
    void handle(CompleteVisit cmd, Clock clock) {
        require(VisitState.VISIT_STATE_CHECKED_IN, "completed");
        apply(VisitCompleted.newBuilder()
                .setCaseId(cmd.caseId())
                .setVisitId(visitId)
                .setCompleteTime(timestamp(clock.instant()))
                .setFindings(cmd.findings())
                .addAllEvidence(cmd.evidence() == null ? List.of() : cmd.evidence())
                .build());
    }

    private void require(VisitState required, String verb) {
        if (state != required) {
            throw new VisitStepRefused("visit " + visitId + " is " + name(state) + "; only a " + name(required)
                    + " visit can be " + verb);
        }
    }

    // Axon's fixtures compare the state a command left with the state its events rebuild.
    @Override
    public boolean equals(Object o) {
        return o instanceof Visit v && visitId.equals(v.visitId) && state == v.state && visitors.equals(v.visitors);
    }

    @Override
    public int hashCode() {
        return visitId.hashCode();
    }

    static String name(VisitState state) {
        return state.name().substring("VISIT_STATE_".length());
    }

    @EventSourcingHandler
    void on(VisitCancelled e) {
        state = VisitState.VISIT_STATE_CANCELLED;
    }

    @EventSourcingHandler
    void on(VisitCheckedIn e) {
        state = VisitState.VISIT_STATE_CHECKED_IN;
    }

    @EventSourcingHandler
    void on(VisitCompleted e) {
        state = VisitState.VISIT_STATE_COMPLETED;
    }

    /** The step does not fit the visit; the case turns it into its own refusal, naming its state. */
    static final class VisitStepRefused extends RuntimeException {
        VisitStepRefused(String message) {
            super(message, null, false, false);
        }
    }
}
