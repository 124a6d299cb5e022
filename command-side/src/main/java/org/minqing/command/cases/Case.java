package org.minqing.command.cases;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.minqing.command.cases.CaseAction.*;
import static org.minqing.api.v1.ProtoTime.instant;
import static org.minqing.api.v1.ProtoTime.timestamp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.modelling.command.ForwardMatchingInstances;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;
import org.minqing.api.v1.*;
import org.minqing.command.cases.CaseCommands.*;
import org.minqing.command.cases.Visit.VisitStepRefused;
import org.minqing.command.deadlines.DeadlinePolicy;
import org.minqing.privacy.PersonalFields;

/**
 * A citizen's case (诉求/工单), from the online report to its close. Command handlers decide: each
 * first checks the state table ({@link CaseStatus}), then the step's own rules, and only then
 * applies an event. Event sourcing handlers only record state, so a replay rebuilds the case
 * exactly. The state kept here is only what the rules need; the read models hold the rest. Its
 * visits are entities of their own ({@link Visit}). Times come from the application's {@link Clock},
 * which also stamps the events.
 */
@Aggregate(snapshotTriggerDefinition = "caseSnapshotTrigger", cache = "caseCache")
// Snapshot shape 2: visits as entities, assignment and deadlines as values; other revisions are passed by.
@Revision("3")
// Snapshots store the fields as JSON; the aggregate has no getters to read them through.
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Case {

    /** A case in one of these takes no linked reports: it is finished or gone. */
    private static final Set<CaseStatus> FINISHED = EnumSet.of(CaseStatus.REJECTED, CaseStatus.MERGED, CaseStatus.CLOSED);

    @AggregateIdentifier
    private String caseId;
    private CaseStatus status;
    private Channel channel;
    private String partnerReference;
    private String category;
    private Urgency urgency;
    private String department = "";
    private String handler = "";
    private LinkedHashSet<String> assistingDepartments = new LinkedHashSet<>(); // not final: snapshots set it
    private boolean citizenContacted;
    /** Each visit's events reach that visit only (by their visit_id). */
    @AggregateMember(eventForwardingMode = ForwardMatchingInstances.class)
    private LinkedHashMap<String, Visit> visits = new LinkedHashMap<>(); // not final: snapshots set it
    private Instant closedAt; // absent from older snapshots: the reopen window is then not checked
    /** SHA-256 of the report as recorded, to tell a retry from a second report (absent from older snapshots). */
    private String reportDigest;
    /** The department's hold on the case and its response; null before the first dispatch. */
    private Assignment assignment;
    private DeadlinesInForce deadlines = DeadlinesInForce.NONE;
    private Satisfaction latestSatisfaction;
    private boolean personalDataErased;

    /** What a department called in to assist (吹哨报到) may do on the case: notes and visits. */
    private static final Set<Class<?>> ASSISTING_STEPS = Set.of(AddProgressNote.class, ScheduleVisit.class,
            RescheduleVisit.class, CancelVisit.class, CheckInVisit.class, CompleteVisit.class);

    protected Case() {
        // for Axon: created empty, then sourced from events or by the report
    }

    /**
     * A handling unit (a department or a grid worker) acts only on a case it holds: one
     * dispatched to its organization, or, for notes and visits, one it was called in to assist.
     * Which roles may take which steps at all is the edge's table (access.proto).
     */
    @CommandHandlerInterceptor
    void heldByTheActor(CommandMessage<?> command, @MetaDataValue(EventMetadata.ACTOR_ROLE) String role,
                        @MetaDataValue(EventMetadata.ACTOR_ORGANIZATION) String organization) {
        if (!Roles.handlesCases(role) || organization.equals(department)) {
            return;
        }
        boolean assisting = assistingDepartments.contains(organization);
        if (assisting && ASSISTING_STEPS.contains(command.getPayloadType())) {
            return;
        }
        throw new CaseNotHeldException(caseId, organization, "case " + caseId + " is "
                + (department.isEmpty() ? "not dispatched to any department" : "with " + department)
                + (assisting ? "; " + organization + " assists it and may add notes and handle visits only"
                : ", not " + organization));
    }

    /**
     * A visit's steps are first the case's: it must be in progress and have the visit, and a
     * check-in cannot be dated before the department had the case. Then the visit decides.
     */
    @CommandHandlerInterceptor
    Object visitStepFits(VisitStep step, InterceptorChain chain) throws Exception {
        require(step.action());
        if (!visits.containsKey(step.visitId())) {
            throw new VisitNotFoundException(caseId, step.visitId());
        }
        if (step instanceof CheckInVisit checkIn && checkIn.checkInTime() != null) {
            notBeforeAssignment("check_in_time", checkIn.checkInTime());
        }
        try {
            return chain.proceed();
        } catch (VisitStepRefused refusal) {
            throw refused(step.action(), refusal.getMessage());
        }
    }

    // ---- report, accept, reject ----

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ReportCase cmd) {
        CaseReported reported = reported(cmd);
        if (caseId != null) {
            // The case exists: a partner retrying its report gets it back and nothing happens; the
            // same reference with other content is a second report, refused.
            if (reportDigest != null && !reportDigest.equals(digest(reported))) {
                throw new ReportConflictException(caseId, cmd.partnerReference());
            }
            return;
        }
        apply(reported);
    }

    private static CaseReported reported(ReportCase cmd) {
        CaseReported.Builder reported = CaseReported.newBuilder()
                .setCaseId(cmd.caseId())
                .setChannel(cmd.channel())
                .setPartnerReference(cmd.partnerReference())
                .setCategory(cmd.category())
                .setUrgency(cmd.urgency())
                .setTitle(cmd.title())
                .setDescription(cmd.description())
                .addAllAttachments(listOf(cmd.attachments()));
        if (cmd.citizen() != null) {
            reported.setCitizen(cmd.citizen());
        }
        if (cmd.location() != null) {
            reported.setLocation(cmd.location());
        }
        if (cmd.reportTime() != null) {
            reported.setReportTime(timestamp(cmd.reportTime()));
        }
        return reported.build();
    }

    @CommandHandler
    public void handle(AcceptCase cmd) {
        require(ACCEPT);
        apply(CaseAccepted.newBuilder().setCaseId(caseId).setNote(cmd.note()).build());
    }

    @CommandHandler
    public void handle(RejectCase cmd) {
        require(REJECT);
        apply(CaseRejected.newBuilder().setCaseId(caseId).setReason(cmd.reason()).build());
    }

    // ---- dispatch, return, transfer, assistance ----

    @CommandHandler
    public void handle(DispatchCase cmd, DeadlinePolicy policy, Clock clock) {
        require(DISPATCH);
        apply(CaseDispatched.newBuilder()
                .setCaseId(caseId)
                .setDepartment(cmd.department())
                .setHandler(cmd.handler())
                .setInstructions(cmd.instructions())
                .setDeadlines(policy.deadlinesFor(category, urgency, clock.instant()))
                .build());
    }

    @CommandHandler
    public void handle(ReturnCase cmd) {
        require(RETURN);
        apply(CaseReturned.newBuilder().setCaseId(caseId).setDepartment(department).setReason(cmd.reason()).build());
    }

    @CommandHandler
    public void handle(TransferCase cmd, DeadlinePolicy policy, Clock clock) {
        require(TRANSFER);
        if (cmd.department().equals(department)) {
            throw refused(TRANSFER, "it is already with " + department + "; transfer it to a different department");
        }
        apply(CaseTransferred.newBuilder()
                .setCaseId(caseId)
                .setFromDepartment(department)
                .setDepartment(cmd.department())
                .setHandler(cmd.handler())
                .setReason(cmd.reason())
                .setDeadlines(policy.deadlinesFor(category, urgency, clock.instant()))
                .build());
    }

    @CommandHandler
    public void handle(RequestAssistance cmd) {
        require(REQUEST_ASSISTANCE);
        List<String> newcomers = listOf(cmd.departments()).stream()
                .distinct()
                .filter(d -> !d.equals(department) && !assistingDepartments.contains(d))
                .toList();
        if (newcomers.isEmpty()) {
            throw refused(REQUEST_ASSISTANCE, "no new department to call in: " + cmd.departments()
                    + " are already handling (" + department + ") or assisting " + assistingDepartments);
        }
        apply(AssistanceRequested.newBuilder()
                .setCaseId(caseId)
                .addAllDepartments(newcomers)
                .setReason(cmd.reason())
                .build());
    }

    // ---- the response: acknowledge and contact ----

    /**
     * The department's response (响应) is complete once it has acknowledged the case and contacted
     * the citizen since it got it, at the later of the two: the step that completes it records
     * that time, and the read models and timers copy it.
     */
    @CommandHandler
    public void handle(AcknowledgeCase cmd, Clock clock) {
        require(ACKNOWLEDGE);
        Instant now = clock.instant();
        CaseAcknowledged.Builder acknowledged = CaseAcknowledged.newBuilder()
                .setCaseId(caseId)
                .setDepartment(department)
                .setHandler(cmd.handler().isEmpty() ? handler : cmd.handler());
        assignment.responseOnAcknowledgementAt(now).ifPresent(time -> acknowledged.setResponseTime(timestamp(time)));
        apply(acknowledged.build());
    }

    @CommandHandler
    public void handle(RecordCitizenContact cmd, Clock clock) {
        require(RECORD_CONTACT);
        Instant contactTime = notBeforeAssignment("contact_time",
                cmd.contactTime() != null ? cmd.contactTime() : clock.instant());
        CitizenContacted.Builder contacted = CitizenContacted.newBuilder()
                .setCaseId(caseId)
                .setMethod(cmd.method())
                .setContactTime(timestamp(contactTime))
                .setSummary(cmd.summary());
        assignment.responseOnContactAt(contactTime).ifPresent(time -> contacted.setResponseTime(timestamp(time)));
        apply(contacted.build());
    }

    // ---- visits ----

    @CommandHandler
    public void handle(ScheduleVisit cmd) {
        require(SCHEDULE_VISIT);
        if (visits.containsKey(cmd.visitId())) {
            throw new VisitAlreadyExistsException(caseId, cmd.visitId());
        }
        VisitScheduled.Builder scheduled = VisitScheduled.newBuilder()
                .setCaseId(caseId)
                .setVisitId(cmd.visitId())
                .setPlace(cmd.place())
                .addAllVisitors(listOf(cmd.visitors()))
                .setPurpose(cmd.purpose());
        if (cmd.scheduledTime() != null) {
            scheduled.setScheduledTime(timestamp(cmd.scheduledTime()));
        }
        apply(scheduled.build());
    }

    // ---- notes, resolution, follow-up ----

    @CommandHandler
    public void handle(AddProgressNote cmd) {
        require(ADD_PROGRESS_NOTE);
        apply(ProgressNoteAdded.newBuilder().setCaseId(caseId).setNote(cmd.note()).build());
    }

    @CommandHandler
    public void handle(ResolveCase cmd) {
        require(RESOLVE);
        if (!citizenContacted) {
            throw refused(RESOLVE, "the citizen has not been contacted; record the contact before resolving");
        }
        String openVisits = visits.entrySet().stream()
                .filter(v -> v.getValue().open())
                .map(v -> v.getKey() + " (" + Visit.name(v.getValue().state()) + ")")
                .collect(Collectors.joining(", "));
        if (!openVisits.isEmpty()) {
            throw refused(RESOLVE, "visits are still open: " + openVisits + "; complete or cancel them first");
        }
        apply(CaseResolved.newBuilder()
                .setCaseId(caseId)
                .setSummary(cmd.summary())
                .addAllEvidence(listOf(cmd.evidence()))
                .build());
    }

    @CommandHandler
    public void handle(RecordFeedback cmd) {
        require(RECORD_FEEDBACK);
        apply(FeedbackRecorded.newBuilder()
                .setCaseId(caseId)
                .setSolved(cmd.solved())
                .setSatisfaction(cmd.satisfaction())
                .setComment(cmd.comment())
                .build());
    }

    @CommandHandler
    public void handle(CloseCase cmd) {
        require(CLOSE);
        if (latestSatisfaction == Satisfaction.SATISFACTION_UNSATISFIED) {
            throw refused(CLOSE, "the citizen's latest feedback was UNSATISFIED: reopen it instead");
        }
        apply(CaseClosed.newBuilder().setCaseId(caseId).setNote(cmd.note()).build());
    }

    @CommandHandler
    public void handle(ReopenCase cmd, DeadlinePolicy policy, Clock clock) {
        require(REOPEN);
        Instant now = clock.instant();
        if (status == CaseStatus.CLOSED && closedAt != null && now.isAfter(closedAt.plus(policy.reopenWindow()))) {
            throw refused(REOPEN, "the case was closed at " + closedAt + ", more than "
                    + policy.reopenWindow().toDays() + " days ago; a renewed complaint is a new case now");
        }
        apply(CaseReopened.newBuilder()
                .setCaseId(caseId)
                .setReason(cmd.reason())
                .setDepartment(department)
                .setDeadlines(policy.resolutionDeadlineFor(category, urgency, now))
                .build());
    }

    // ---- supervision ----

    @CommandHandler
    public void handle(RequestExtension cmd) {
        require(REQUEST_EXTENSION);
        if (deadlines.requested() != null) {
            throw refused(REQUEST_EXTENSION, "an extension to " + deadlines.requested()
                    + " is already waiting for a supervisor");
        }
        Instant resolution = deadlines.resolution();
        if (cmd.requestedDeadline() == null || (resolution != null && !cmd.requestedDeadline().isAfter(resolution))) {
            throw refused(REQUEST_EXTENSION, "the requested deadline " + cmd.requestedDeadline()
                    + " must be after the current resolution deadline " + resolution);
        }
        apply(ExtensionRequested.newBuilder()
                .setCaseId(caseId)
                .setRequestedDeadline(timestamp(cmd.requestedDeadline()))
                .setReason(cmd.reason())
                .build());
    }

    @CommandHandler
    public void handle(ApproveExtension cmd) {
        require(APPROVE_EXTENSION);
        requireExtensionPending(APPROVE_EXTENSION);
        apply(ExtensionApproved.newBuilder()
                .setCaseId(caseId)
                .setResolutionDeadline(timestamp(deadlines.requested()))
                .setNote(cmd.note())
                .build());
    }

    @CommandHandler
    public void handle(RefuseExtension cmd) {
        require(REFUSE_EXTENSION);
        requireExtensionPending(REFUSE_EXTENSION);
        apply(ExtensionRefused.newBuilder().setCaseId(caseId).setReason(cmd.reason()).build());
    }

    @CommandHandler
    public void handle(UrgeCase cmd) {
        require(URGE);
        apply(CaseUrged.newBuilder().setCaseId(caseId).setMessage(cmd.message()).build());
    }

    @CommandHandler
    public void handle(SuperviseCase cmd) {
        require(SUPERVISE);
        apply(CaseSupervised.newBuilder().setCaseId(caseId).setInstructions(cmd.instructions()).build());
    }

    // ---- deadlines running out ----

    /**
     * A deadline's passing is a fact, not a request: it is never refused. It is recorded once, and
     * only while it is the deadline in force, its step is undone and the case is with a department;
     * a late or repeated timer (after a transfer, reopen, extension or close) records nothing.
     */
    @CommandHandler
    public void handle(RecordDeadlineBreach cmd, Clock clock) {
        boolean withDepartment = status == CaseStatus.DISPATCHED || status == CaseStatus.IN_PROGRESS;
        boolean breached = deadlines.breachable(cmd.kind(), cmd.deadline(), assignment != null && assignment.responded());
        if (withDepartment && breached && !clock.instant().isBefore(cmd.deadline())) {
            apply(DeadlineBreached.newBuilder()
                    .setCaseId(caseId)
                    .setKind(cmd.kind())
                    .setDeadline(timestamp(cmd.deadline()))
                    .setDepartment(department)
                    .build());
        }
    }

    // ---- merging, driven by MergeCaseHandler across two cases ----

    /** This case is a duplicate of {@code targetCaseId}. */
    void mergeInto(String targetCaseId, String reason) {
        require(MERGE);
        apply(CaseMerged.newBuilder().setCaseId(caseId).setTargetCaseId(targetCaseId).setReason(reason).build());
    }

    /** Refuses, naming this case's status, unless duplicates may still be merged into it. */
    void requireTakesLinkedReports(String sourceCaseId) {
        if (FINISHED.contains(status)) {
            throw new CaseRefusedException(caseId, status, MERGE, "case " + sourceCaseId
                    + " cannot be merged into case " + caseId + ": case " + caseId + " is " + status);
        }
    }

    /** The duplicate {@code sourceCaseId} was merged into this case; its report is handled here now. */
    void linkReport(String sourceCaseId, Channel sourceChannel, String sourcePartnerReference) {
        requireTakesLinkedReports(sourceCaseId);
        apply(ReportLinked.newBuilder()
                .setCaseId(caseId)
                .setSourceCaseId(sourceCaseId)
                .setChannel(sourceChannel)
                .setPartnerReference(sourcePartnerReference)
                .build());
    }

    String caseId() {
        return caseId;
    }

    CaseStatus status() {
        return status;
    }

    Channel channel() {
        return channel;
    }

    String partnerReference() {
        return partnerReference;
    }

    // What the audit view of the case reads (CaseReplay); the rules use the fields.

    String category() {
        return category;
    }

    Urgency urgency() {
        return urgency;
    }

    String department() {
        return department;
    }

    String handler() {
        return handler;
    }

    Set<String> assistingDepartments() {
        return assistingDepartments;
    }

    boolean citizenContacted() {
        return citizenContacted;
    }

    java.util.Map<String, Visit> visits() {
        return visits;
    }

    Assignment assignment() {
        return assignment;
    }

    DeadlinesInForce deadlines() {
        return deadlines;
    }

    Satisfaction latestSatisfaction() {
        return latestSatisfaction;
    }

    // ---- the rules' vocabulary ----

    private void require(CaseAction action) {
        if (!status.allows(action)) {
            String allowed = status.allowed().isEmpty() ? "none"
                    : status.allowed().stream().map(Enum::name).collect(Collectors.joining(", "));
            throw new CaseRefusedException(caseId, status, action,
                    "case " + caseId + " is " + status + ": " + action + " is not allowed; allowed: " + allowed);
        }
    }

    private void requireExtensionPending(CaseAction action) {
        if (deadlines.requested() == null) {
            throw refused(action, "no extension request is waiting for a decision");
        }
    }

    private CaseRefusedException refused(CaseAction action, String why) {
        return new CaseRefusedException(caseId, status, action,
                "case " + caseId + " is " + status + ": " + action + " refused: " + why);
    }

    /**
     * The report's content; not its time, which a retry without one gets anew from the server's
     * clock, nor its personal data, which the log holds sealed (a different sealing each time) and
     * the case never reads.
     */
    private static String digest(CaseReported report) {
        try {
            CaseReported content = (CaseReported) PersonalFields.withoutPersonalData(report);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.toBuilder().clearReportTime().build().toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }

    // ---- personal data ----

    /**
     * Erasure, in any state and once. As the event is stored, PersonalDataSealing names the
     * citizen in it, destroys their keys and sends it on to their other cases.
     */
    @CommandHandler
    public void handle(ErasePersonalData cmd) {
        if (personalDataErased) {
            return;
        }
        apply(PersonalDataErased.newBuilder().setCaseId(caseId).setReason(cmd.reason()).build());
    }

    // ---- event sourcing: state only ----

    @EventSourcingHandler
    void on(CaseReported e) {
        caseId = e.getCaseId();
        reportDigest = digest(e);
        status = CaseStatus.REPORTED;
        channel = e.getChannel();
        partnerReference = e.getPartnerReference();
        category = e.getCategory();
        urgency = e.getUrgency();
    }

    @EventSourcingHandler
    void on(PersonalDataErased e) {
        personalDataErased = true;
    }

    @EventSourcingHandler
    void on(CaseAccepted e) {
        status = CaseStatus.ACCEPTED;
    }

    @EventSourcingHandler
    void on(CaseRejected e) {
        status = CaseStatus.REJECTED;
    }

    @EventSourcingHandler
    void on(CaseMerged e) {
        status = CaseStatus.MERGED;
    }

    @EventSourcingHandler
    void on(CaseDispatched e, @Timestamp Instant at) {
        assignedTo(e.getDepartment(), e.getHandler(), at, e.getDeadlines());
    }

    @EventSourcingHandler
    void on(CaseReturned e) {
        status = CaseStatus.RETURNED;
        handler = "";
        deadlines = deadlines.noExtensionPending(); // the request was the returning department's
    }

    @EventSourcingHandler
    void on(CaseTransferred e, @Timestamp Instant at) {
        assignedTo(e.getDepartment(), e.getHandler(), at, e.getDeadlines());
    }

    @EventSourcingHandler
    void on(AssistanceRequested e) {
        assistingDepartments.addAll(e.getDepartmentsList());
    }

    @EventSourcingHandler
    void on(CaseAcknowledged e, @Timestamp Instant at) {
        status = CaseStatus.IN_PROGRESS;
        handler = e.getHandler();
        assignment = assignment.acknowledgedAt(at);
    }

    @EventSourcingHandler
    void on(CitizenContacted e, @Timestamp Instant at) {
        citizenContacted = true;
        assignment = assignment.contactedAt(e.hasContactTime() ? instant(e.getContactTime()) : at);
    }

    @EventSourcingHandler
    void on(VisitScheduled e) {
        visits.put(e.getVisitId(), new Visit(e));
    }

    @EventSourcingHandler
    void on(CaseResolved e) {
        status = CaseStatus.RESOLVED;
    }

    @EventSourcingHandler
    void on(FeedbackRecorded e) {
        status = CaseStatus.FOLLOWED_UP;
        latestSatisfaction = e.getSatisfaction();
    }

    @EventSourcingHandler
    void on(CaseClosed e, @Timestamp Instant at) {
        status = CaseStatus.CLOSED;
        closedAt = at;
    }

    @EventSourcingHandler
    void on(CaseReopened e) {
        status = CaseStatus.IN_PROGRESS;
        closedAt = null;
        latestSatisfaction = null; // the next close needs a new follow-up
        deadlines = DeadlinesInForce.of(e.getDeadlines());
    }

    @EventSourcingHandler
    void on(ExtensionRequested e) {
        deadlines = deadlines.extensionRequested(instant(e.getRequestedDeadline()));
    }

    @EventSourcingHandler
    void on(ExtensionApproved e) {
        deadlines = deadlines.extensionApproved(instant(e.getResolutionDeadline()));
    }

    @EventSourcingHandler
    void on(DeadlineBreached e) {
        deadlines = deadlines.breached(e.getKind());
    }

    @EventSourcingHandler
    void on(ExtensionRefused e) {
        deadlines = deadlines.noExtensionPending();
    }

    /** A dispatch or transfer: the department owes a response of its own, under new deadlines. */
    private void assignedTo(String newDepartment, String newHandler, Instant at, Deadlines newDeadlines) {
        status = CaseStatus.DISPATCHED;
        department = newDepartment;
        handler = newHandler;
        assignment = Assignment.startingAt(at);
        deadlines = DeadlinesInForce.of(newDeadlines);
    }

    /** A time reported by the department: it cannot precede the department having the case. */
    private Instant notBeforeAssignment(String field, Instant time) {
        return assignment == null ? time : assignment.notBefore(field, time);
    }
}
