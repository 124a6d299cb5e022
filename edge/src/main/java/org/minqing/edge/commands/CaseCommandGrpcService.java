package org.minqing.edge.commands;

import static org.minqing.api.requests.RequestChecks.attachments;
import static org.minqing.api.requests.RequestChecks.codes;
import static org.minqing.api.requests.RequestChecks.instant;
import static org.minqing.api.requests.RequestChecks.pastOrNow;
import static org.minqing.api.requests.RequestChecks.position;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.ResourceNames;
import org.minqing.api.v1.*;
import org.minqing.command.cases.CaseCommands.*;
import org.minqing.edge.categories.CategoryRegister;
import org.minqing.privacy.DataKeys;
import org.springframework.beans.factory.annotation.Value;

/**
 * The command API: validates each request (every problem reported at once, nothing changed),
 * translates it into a case command and runs it once per request id. Whether the step fits the
 * case's state is the aggregate's decision, not this class's.
 */
public class CaseCommandGrpcService extends CaseCommandServiceGrpc.CaseCommandServiceImplBase {

    // The API's limits (docs/api.md); the read models' columns must hold them (MaximumLengthsEndToEndTest).
    public static final int TITLE = 200;
    public static final int DESCRIPTION = 5000;
    public static final int TEXT = 2000;
    public static final int CODE = 128;
    /** A citizen's phone or ID number. */
    public static final int CITIZEN_NUMBER = 32;
    public static final int MAX_DEPARTMENTS = 10;
    public static final int MAX_VISITORS = 10;

    private final Clock clock;
    private final CommandExecution execution;
    private final Duration schedulingHorizon;
    private final DataKeys dataKeys;
    private final CategoryRegister categories;

    /**
     * @param schedulingHorizon {@code minqing.visits.scheduling-horizon}: how far ahead a visit may
     *                          be scheduled (a visit in 9999 is a typing mistake, not a plan)
     */
    public CaseCommandGrpcService(CommandExecution execution, Clock clock,
                                  @Value("${minqing.visits.scheduling-horizon:365d}") Duration schedulingHorizon,
                                  DataKeys dataKeys, CategoryRegister categories) {
        this.execution = execution;
        this.categories = categories;
        this.dataKeys = dataKeys;
        this.clock = clock;
        this.schedulingHorizon = schedulingHorizon;
    }

    @Override
    public void reportCase(ReportCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            v.check(r.getChannel() != Channel.CHANNEL_UNSPECIFIED && r.getChannel() != Channel.UNRECOGNIZED,
                    "channel", "required");
            v.limitText("partner_reference", r.getPartnerReference(), CODE);
            Citizen citizen = r.getCitizen();
            v.check(!citizen.getName().isBlank() || !citizen.getPhone().isBlank(), "citizen",
                    "required: a name or a phone number");
            v.limitText("citizen.name", citizen.getName(), 100);
            v.limitText("citizen.phone", citizen.getPhone(), CITIZEN_NUMBER);
            v.limitText("citizen.id_number", citizen.getIdNumber(), CITIZEN_NUMBER);
            v.requireText("category", r.getCategory(), CODE);
            v.check(r.getCategory().isEmpty() || categories.admits(r.getCategory()), "category",
                    "not in the category register, or retired (CategoryService/ListCategories)");
            v.check(r.getUrgency() != Urgency.URGENCY_UNSPECIFIED && r.getUrgency() != Urgency.UNRECOGNIZED,
                    "urgency", "required");
            v.requireText("title", r.getTitle(), TITLE);
            v.limitText("description", r.getDescription(), DESCRIPTION);
            Location location = r.getLocation();
            v.requireText("location.district", location.getDistrict(), CODE);
            v.limitText("location.grid", location.getGrid(), CODE);
            v.limitText("location.address", location.getAddress(), 500);
            if (location.hasPosition()) {
                position("location.position", true, location.getPosition(), v);
            }
            attachments("attachments", r.getAttachmentsList(), v);
            Instant reportTime = pastOrNow("report_time", r.hasReportTime(), r.getReportTime(), now(), v);
            return ReportCase.byPartner(execution.caller().organization(), r.getChannel(), r.getPartnerReference(),
                    citizen, r.getCategory(),
                    r.getUrgency(), r.getTitle(), r.getDescription(), location, r.getAttachmentsList(), reportTime);
        });
    }

    @Override
    public void acceptCase(AcceptCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.limitText("note", r.getNote(), TEXT);
            return new AcceptCase(id, r.getNote());
        });
    }

    @Override
    public void rejectCase(RejectCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("reason", r.getReason(), TEXT);
            return new RejectCase(id, r.getReason());
        });
    }

    @Override
    public void mergeCase(MergeCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            String target = ResourceNames.caseId("target", r.getTarget(), v);
            v.check(id == null || !id.equals(target), "target", "must be another case");
            v.limitText("reason", r.getReason(), TEXT);
            return new MergeCase(id, target, r.getReason());
        });
    }

    @Override
    public void dispatchCase(DispatchCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("department", r.getDepartment(), CODE);
            v.limitText("handler", r.getHandler(), CODE);
            v.limitText("instructions", r.getInstructions(), TEXT);
            return new DispatchCase(id, r.getDepartment(), r.getHandler(), r.getInstructions());
        });
    }

    @Override
    public void returnCase(ReturnCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("reason", r.getReason(), TEXT);
            return new ReturnCase(id, r.getReason());
        });
    }

    @Override
    public void transferCase(TransferCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("department", r.getDepartment(), CODE);
            v.limitText("handler", r.getHandler(), CODE);
            v.requireText("reason", r.getReason(), TEXT);
            return new TransferCase(id, r.getDepartment(), r.getHandler(), r.getReason());
        });
    }

    @Override
    public void requestAssistance(RequestAssistanceRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            codes("departments", r.getDepartmentsList(), MAX_DEPARTMENTS, CODE, v);
            v.limitText("reason", r.getReason(), TEXT);
            return new RequestAssistance(id, r.getDepartmentsList(), r.getReason());
        });
    }

    @Override
    public void acknowledgeCase(AcknowledgeCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.limitText("handler", r.getHandler(), CODE);
            return new AcknowledgeCase(id, r.getHandler());
        });
    }

    @Override
    public void recordCitizenContact(RecordCitizenContactRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.check(r.getMethod() != ContactMethod.CONTACT_METHOD_UNSPECIFIED
                    && r.getMethod() != ContactMethod.UNRECOGNIZED, "method", "required");
            Instant at = pastOrNow("contact_time", r.hasContactTime(), r.getContactTime(), now(), v);
            v.limitText("summary", r.getSummary(), TEXT);
            return new RecordCitizenContact(id, r.getMethod(), at, r.getSummary());
        });
    }

    @Override
    public void scheduleVisit(ScheduleVisitRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            String visitId = r.getVisitId().isEmpty() ? UUID.randomUUID().toString() : r.getVisitId();
            if (!r.getVisitId().isEmpty()) {
                v.requireId("visit_id", r.getVisitId());
            }
            Instant when = scheduledTime(r.hasScheduledTime(), r.getScheduledTime(), v);
            v.requireText("place", r.getPlace(), TEXT);
            codes("visitors", r.getVisitorsList(), MAX_VISITORS, CODE, v);
            v.limitText("purpose", r.getPurpose(), TEXT);
            return new ScheduleVisit(id, visitId, when, r.getPlace(), r.getVisitorsList(), r.getPurpose());
        });
    }

    @Override
    public void rescheduleVisit(RescheduleVisitRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String[] ids = ResourceNames.visitIds("name", r.getName(), v);
            Instant when = scheduledTime(r.hasScheduledTime(), r.getScheduledTime(), v);
            v.limitText("place", r.getPlace(), TEXT);
            v.limitText("reason", r.getReason(), TEXT);
            return ids == null ? null : new RescheduleVisit(ids[0], ids[1], when, r.getPlace(), r.getReason());
        });
    }

    @Override
    public void cancelVisit(CancelVisitRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String[] ids = ResourceNames.visitIds("name", r.getName(), v);
            v.requireText("reason", r.getReason(), TEXT);
            return ids == null ? null : new CancelVisit(ids[0], ids[1], r.getReason());
        });
    }

    @Override
    public void checkInVisit(CheckInVisitRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String[] ids = ResourceNames.visitIds("name", r.getName(), v);
            Instant at = pastOrNow("check_in_time", r.hasCheckInTime(), r.getCheckInTime(), now(), v);
            position("position", r.hasPosition(), r.getPosition(), v);
            v.requireText("visitor", r.getVisitor(), CODE);
            return ids == null ? null : new CheckInVisit(ids[0], ids[1], at, r.getPosition(), r.getVisitor());
        });
    }

    @Override
    public void completeVisit(CompleteVisitRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String[] ids = ResourceNames.visitIds("name", r.getName(), v);
            v.requireText("findings", r.getFindings(), DESCRIPTION);
            attachments("evidence", r.getEvidenceList(), v);
            return ids == null ? null : new CompleteVisit(ids[0], ids[1], r.getFindings(), r.getEvidenceList());
        });
    }

    @Override
    public void addProgressNote(AddProgressNoteRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("note", r.getNote(), TEXT);
            return new AddProgressNote(id, r.getNote());
        });
    }

    @Override
    public void resolveCase(ResolveCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("summary", r.getSummary(), DESCRIPTION);
            attachments("evidence", r.getEvidenceList(), v);
            return new ResolveCase(id, r.getSummary(), r.getEvidenceList());
        });
    }

    @Override
    public void recordFeedback(RecordFeedbackRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.check(r.getSatisfaction() != Satisfaction.SATISFACTION_UNSPECIFIED
                    && r.getSatisfaction() != Satisfaction.UNRECOGNIZED, "satisfaction", "required");
            v.limitText("comment", r.getComment(), TEXT);
            return new RecordFeedback(id, r.getSolved(), r.getSatisfaction(), r.getComment());
        });
    }

    @Override
    public void closeCase(CloseCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.limitText("note", r.getNote(), TEXT);
            return new CloseCase(id, r.getNote());
        });
    }

    @Override
    public void erasePersonalData(ErasePersonalDataRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            v.requireText("reason", r.getReason(), TEXT);
            if (!r.hasCitizen()) {
                return new ErasePersonalData(caseId(r.getName(), v), r.getReason());
            }
            Citizen citizen = r.getCitizen();
            v.check(!citizen.getIdNumber().isBlank() || !citizen.getPhone().replaceAll("[^0-9]", "").isEmpty(),
                    "citizen", "name the citizen by id_number or phone");
            v.limitText("citizen.id_number", citizen.getIdNumber(), CITIZEN_NUMBER);
            v.limitText("citizen.phone", citizen.getPhone(), CITIZEN_NUMBER);
            v.throwIfAny();
            String caseId = dataKeys.casesOf(dataKeys.citizenOf(citizen, "")).stream().findFirst()
                    .orElseThrow(() -> Status.NOT_FOUND.withDescription(
                            "no case of a citizen with that ID number or phone is known").asRuntimeException());
            return new ErasePersonalData(caseId, r.getReason());
        });
    }

    @Override
    public void reopenCase(ReopenCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("reason", r.getReason(), TEXT);
            return new ReopenCase(id, r.getReason());
        });
    }

    @Override
    public void requestExtension(RequestExtensionRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            Instant deadline = instant("requested_deadline", r.hasRequestedDeadline(), r.getRequestedDeadline(), v);
            v.check(r.hasRequestedDeadline(), "requested_deadline", "required");
            v.requireText("reason", r.getReason(), TEXT);
            return new RequestExtension(id, deadline, r.getReason());
        });
    }

    @Override
    public void approveExtension(ApproveExtensionRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.limitText("note", r.getNote(), TEXT);
            return new ApproveExtension(id, r.getNote());
        });
    }

    @Override
    public void refuseExtension(RefuseExtensionRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("reason", r.getReason(), TEXT);
            return new RefuseExtension(id, r.getReason());
        });
    }

    @Override
    public void urgeCase(UrgeCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("message", r.getMessage(), TEXT);
            return new UrgeCase(id, r.getMessage());
        });
    }

    @Override
    public void superviseCase(SuperviseCaseRequest r, StreamObserver<CaseChange> out) {
        execution.run(r, r.getRequestId(), out, v -> {
            String id = caseId(r.getName(), v);
            v.requireText("instructions", r.getInstructions(), TEXT);
            return new SuperviseCase(id, r.getInstructions());
        });
    }

    private static String caseId(String name, FieldViolations violations) {
        return ResourceNames.caseId("name", name, violations);
    }

    /**
     * A visit's time: required, and at most the scheduling horizon ahead. It may lie in the past: a
     * visit made on the spot is recorded afterwards (补录), and its check-in must still come later.
     */
    private Instant scheduledTime(boolean present, Timestamp time, FieldViolations v) {
        v.check(present, "scheduled_time", "required");
        Instant when = instant("scheduled_time", present, time, v);
        v.check(when == null || !when.isAfter(now().plus(schedulingHorizon)), "scheduled_time",
                "must be at most " + schedulingHorizon.toDays() + " days ahead (minqing.visits.scheduling-horizon)");
        return when;
    }

    private Instant now() {
        return clock.instant();
    }
}
