package org.minqing.command.cases;

import java.time.Instant;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.minqing.api.v1.Attachment;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.ContactMethod;
import org.minqing.api.v1.DeadlineKind;
import org.minqing.api.v1.GeoPoint;
import org.minqing.api.v1.Location;
import org.minqing.api.v1.Satisfaction;
import org.minqing.api.v1.Urgency;

/**
 * The commands a case understands: one per step of its life. Requests arrive validated (shape,
 * sizes, required fields); the aggregate decides whether the step fits the case's state.
 * Optional texts are empty strings, never null.
 */
public final class CaseCommands {

    private CaseCommands() {
    }

    public record ReportCase(@TargetAggregateIdentifier String caseId, Channel channel, String partnerReference,
                             Citizen citizen, String category, Urgency urgency, String title, String description,
                             Location location, List<Attachment> attachments, Instant reportTime) implements CaseCommand {

        /**
         * A partner system's report. Its case is named by (partner system, channel, reference), so
         * a retried report — even with a new request id — reaches the case it created, and the
         * case records nothing new; a report without a reference has nothing to recognise it by.
         */
        public static ReportCase byPartner(String partnerSystem, Channel channel, String partnerReference,
                                           Citizen citizen, String category, Urgency urgency, String title,
                                           String description, Location location, List<Attachment> attachments,
                                           Instant reportTime) {
            String caseId = partnerReference.isEmpty()
                    ? CaseIds.random()
                    : CaseIds.forReport(partnerSystem, channel, partnerReference);
            return new ReportCase(caseId, channel, partnerReference, citizen, category, urgency, title, description,
                    location, attachments, reportTime);
        }
    }

    public record AcceptCase(@TargetAggregateIdentifier String caseId, String note) implements CaseCommand {
    }

    public record RejectCase(@TargetAggregateIdentifier String caseId, String reason) implements CaseCommand {
    }

    /** Handled by {@link MergeCaseHandler}: it changes the duplicate and the case it duplicates. */
    public record MergeCase(String caseId, String targetCaseId, String reason) implements CaseCommand {
    }

    public record DispatchCase(@TargetAggregateIdentifier String caseId, String department, String handler,
                               String instructions) implements CaseCommand {
    }

    public record ReturnCase(@TargetAggregateIdentifier String caseId, String reason) implements CaseCommand {
    }

    public record TransferCase(@TargetAggregateIdentifier String caseId, String department, String handler,
                               String reason) implements CaseCommand {
    }

    public record RequestAssistance(@TargetAggregateIdentifier String caseId, List<String> departments,
                                    String reason) implements CaseCommand {
    }

    public record AcknowledgeCase(@TargetAggregateIdentifier String caseId, String handler) implements CaseCommand {
    }

    public record RecordCitizenContact(@TargetAggregateIdentifier String caseId, ContactMethod method,
                                       Instant contactTime, String summary) implements CaseCommand {
    }

    /** A step of one of the case's visits: the case checks it fits the case, then the {@link Visit} takes it. */
    public interface VisitStep extends CaseCommand {

        String visitId();

        CaseAction action();
    }

    public record ScheduleVisit(@TargetAggregateIdentifier String caseId, String visitId, Instant scheduledTime,
                                String place, List<String> visitors, String purpose) implements CaseCommand {
    }

    public record RescheduleVisit(@TargetAggregateIdentifier String caseId, String visitId, Instant scheduledTime,
                                  String place, String reason) implements VisitStep {

        @Override
        public CaseAction action() {
            return CaseAction.RESCHEDULE_VISIT;
        }
    }

    public record CancelVisit(@TargetAggregateIdentifier String caseId, String visitId, String reason) implements VisitStep {

        @Override
        public CaseAction action() {
            return CaseAction.CANCEL_VISIT;
        }
    }

    public record CheckInVisit(@TargetAggregateIdentifier String caseId, String visitId, Instant checkInTime,
                               GeoPoint position, String visitor) implements VisitStep {

        @Override
        public CaseAction action() {
            return CaseAction.CHECK_IN_VISIT;
        }
    }

    public record CompleteVisit(@TargetAggregateIdentifier String caseId, String visitId, String findings,
                                List<Attachment> evidence) implements VisitStep {

        @Override
        public CaseAction action() {
            return CaseAction.COMPLETE_VISIT;
        }
    }

    public record AddProgressNote(@TargetAggregateIdentifier String caseId, String note) implements CaseCommand {
    }

    public record ResolveCase(@TargetAggregateIdentifier String caseId, String summary, List<Attachment> evidence) implements CaseCommand {
    }

    public record RecordFeedback(@TargetAggregateIdentifier String caseId, boolean solved,
                                 Satisfaction satisfaction, String comment) implements CaseCommand {
    }

    public record CloseCase(@TargetAggregateIdentifier String caseId, String note) implements CaseCommand {
    }

    /** Erase the personal data of the citizen who reported the case (a privacy officer, or the retention policy). */
    public record ErasePersonalData(@TargetAggregateIdentifier String caseId, String reason) implements CaseCommand {
    }

    public record ReopenCase(@TargetAggregateIdentifier String caseId, String reason) implements CaseCommand {
    }

    public record RequestExtension(@TargetAggregateIdentifier String caseId, Instant requestedDeadline,
                                   String reason) implements CaseCommand {
    }

    public record ApproveExtension(@TargetAggregateIdentifier String caseId, String note) implements CaseCommand {
    }

    public record RefuseExtension(@TargetAggregateIdentifier String caseId, String reason) implements CaseCommand {
    }

    public record UrgeCase(@TargetAggregateIdentifier String caseId, String message) implements CaseCommand {
    }

    public record SuperviseCase(@TargetAggregateIdentifier String caseId, String instructions) implements CaseCommand {
    }

    /**
     * Sent by the deadline watch when a recorded deadline has passed, never by clients. The case
     * records the breach only if that deadline is still the one in force and its step undone.
     */
    public record RecordDeadlineBreach(@TargetAggregateIdentifier String caseId, DeadlineKind kind,
                                       Instant deadline) implements CaseCommand {
    }
}
