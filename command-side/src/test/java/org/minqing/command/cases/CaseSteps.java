package org.minqing.command.cases;

import static org.minqing.command.cases.CaseHistory.*;
import static org.minqing.api.v1.ProtoTime.timestamp;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.minqing.api.v1.*;
import org.minqing.command.cases.CaseCommands.*;
import org.minqing.command.deadlines.DeadlinePolicy;

/**
 * For each action, a command that takes it and the events it must record, in any status that
 * allows it. Used by the state-table tests in {@link CaseTest}.
 */
final class CaseSteps {

    static final DeadlinePolicy POLICY = DeadlinePolicy.defaults();
    /** The fixture's clock: Tuesday 2026-03-10 10:00 in Beijing. */
    static final Instant NOW = Instant.parse("2026-03-10T02:00:00Z");
    static final Instant LATER_DEADLINE = RESOLUTION_DEADLINE.plusSeconds(3 * 86_400);

    /** The fixture's time ({@code givenCurrentTime}, {@code whenTimeElapses}) as the clock the handlers are given. */
    static Clock clockOf(AggregateTestFixture<?> fixture) {
        return clockOf(fixture::currentTime);
    }

    /** A clock that reads {@code now} each time it is asked: a test moves time by changing what it returns. */
    static Clock clockOf(Supplier<Instant> now) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
    }

    /**
     * @param before   events the step needs beyond the status (e.g. a scheduled visit to check in)
     * @param command  the command
     * @param expected exactly the events it records
     * @param next     the status it leaves the case in, from the status it found
     */
    record Step(List<Object> before, Object command, List<Object> expected, UnaryOperator<CaseStatus> next) {

        static Step of(Object command, Object expected, CaseStatus next) {
            return new Step(List.of(), command, List.of(expected), s -> next);
        }

        static Step staying(Object command, Object expected) {
            return new Step(List.of(), command, List.of(expected), s -> s);
        }

        Step after(Object... events) {
            return new Step(List.of(events), command, expected, next);
        }
    }

    private CaseSteps() {
    }

    /** Any command taking {@code action}, for the refusal matrix: the state table refuses before anything else. */
    static Object commandFor(CaseAction action) {
        return legal(action).command();
    }

    static Step legal(CaseAction action) {
        Deadlines fromNow = POLICY.deadlinesFor(CATEGORY, Urgency.URGENCY_NORMAL, NOW);
        return switch (action) {
            case ACCEPT -> Step.of(new AcceptCase(CASE_ID, "ok"),
                    CaseAccepted.newBuilder().setCaseId(CASE_ID).setNote("ok").build(), CaseStatus.ACCEPTED);
            case REJECT -> Step.of(new RejectCase(CASE_ID, "not a government matter"),
                    CaseRejected.newBuilder().setCaseId(CASE_ID).setReason("not a government matter").build(),
                    CaseStatus.REJECTED);
            case MERGE -> throw new IllegalArgumentException("MERGE is MergeCaseHandler's; see MergeCaseHandlerTest");
            case DISPATCH -> Step.of(new DispatchCase(CASE_ID, DEPARTMENT, HANDLER, "fill it"),
                    CaseDispatched.newBuilder().setCaseId(CASE_ID).setDepartment(DEPARTMENT).setHandler(HANDLER)
                            .setInstructions("fill it").setDeadlines(fromNow).build(),
                    CaseStatus.DISPATCHED);
            case RETURN -> Step.of(new ReturnCase(CASE_ID, "not ours"), returned(), CaseStatus.RETURNED);
            case TRANSFER -> Step.of(new TransferCase(CASE_ID, "dept-water", "handler-wang", "a burst main"),
                    CaseTransferred.newBuilder().setCaseId(CASE_ID).setFromDepartment(DEPARTMENT)
                            .setDepartment("dept-water").setHandler("handler-wang").setReason("a burst main")
                            .setDeadlines(fromNow).build(),
                    CaseStatus.DISPATCHED);
            case REQUEST_ASSISTANCE -> Step.staying(
                    new RequestAssistance(CASE_ID, List.of("dept-police", DEPARTMENT), "traffic control"),
                    AssistanceRequested.newBuilder().setCaseId(CASE_ID).addDepartments("dept-police")
                            .setReason("traffic control").build());
            case ACKNOWLEDGE -> Step.of(new AcknowledgeCase(CASE_ID, ""), acknowledged(), CaseStatus.IN_PROGRESS);
            // a further contact: the first one after the acknowledgement completes the response (CaseTest.Response)
            case RECORD_CONTACT -> Step.staying(new RecordCitizenContact(CASE_ID, ContactMethod.CONTACT_METHOD_PHONE,
                    Instant.parse("2026-03-09T06:00:00Z"), "called"), contacted()).after(contacted());
            case SCHEDULE_VISIT -> Step.staying(new ScheduleVisit(CASE_ID, "v1", Instant.parse("2026-03-11T01:00:00Z"),
                    "Xinhua Road 1", List.of("grid-worker-wang"), "measure the pothole"), visitScheduled("v1"));
            case RESCHEDULE_VISIT -> Step.staying(new RescheduleVisit(CASE_ID, "v1",
                            Instant.parse("2026-03-12T01:00:00Z"), "Xinhua Road 2", "rain"),
                    VisitRescheduled.newBuilder().setCaseId(CASE_ID).setVisitId("v1")
                            .setScheduledTime(timestamp(Instant.parse("2026-03-12T01:00:00Z")))
                            .setPlace("Xinhua Road 2").setReason("rain").build())
                    .after(visitScheduled("v1"));
            case CANCEL_VISIT -> Step.staying(new CancelVisit(CASE_ID, "v1", "rain"), visitCancelled("v1"))
                    .after(visitScheduled("v1"));
            case CHECK_IN_VISIT -> Step.staying(new CheckInVisit(CASE_ID, "v1", Instant.parse("2026-03-11T01:05:00Z"),
                            GeoPoint.newBuilder().setLatitude(39.9).setLongitude(116.4).build(), "grid-worker-wang"),
                    visitCheckedIn("v1"))
                    .after(visitScheduled("v1"));
            case COMPLETE_VISIT -> Step.staying(new CompleteVisit(CASE_ID, "v1", "filled", List.of()),
                    VisitCompleted.newBuilder().setCaseId(CASE_ID).setVisitId("v1")
                            .setCompleteTime(timestamp(NOW)).setFindings("filled").build())
                    .after(visitScheduled("v1"), visitCheckedIn("v1"));
            case ADD_PROGRESS_NOTE -> Step.staying(new AddProgressNote(CASE_ID, "asphalt ordered"),
                    ProgressNoteAdded.newBuilder().setCaseId(CASE_ID).setNote("asphalt ordered").build());
            case RESOLVE -> Step.of(new ResolveCase(CASE_ID, "pothole filled", List.of()), resolved(),
                    CaseStatus.RESOLVED).after(contacted());
            case RECORD_FEEDBACK -> Step.of(new RecordFeedback(CASE_ID, true, Satisfaction.SATISFACTION_SATISFIED, ""),
                    feedback(Satisfaction.SATISFACTION_SATISFIED), CaseStatus.FOLLOWED_UP);
            case CLOSE -> Step.of(new CloseCase(CASE_ID, "done"),
                    CaseClosed.newBuilder().setCaseId(CASE_ID).setNote("done").build(), CaseStatus.CLOSED);
            case REOPEN -> Step.of(new ReopenCase(CASE_ID, "still broken"),
                    CaseReopened.newBuilder().setCaseId(CASE_ID).setReason("still broken").setDepartment(DEPARTMENT)
                            .setDeadlines(POLICY.resolutionDeadlineFor(CATEGORY, Urgency.URGENCY_NORMAL, NOW)).build(),
                    CaseStatus.IN_PROGRESS);
            case REQUEST_EXTENSION -> Step.staying(new RequestExtension(CASE_ID, LATER_DEADLINE, "waiting for asphalt"),
                    extensionRequested(LATER_DEADLINE));
            case APPROVE_EXTENSION -> Step.staying(new ApproveExtension(CASE_ID, "granted"),
                    ExtensionApproved.newBuilder().setCaseId(CASE_ID).setResolutionDeadline(timestamp(LATER_DEADLINE))
                            .setNote("granted").build())
                    .after(extensionRequested(LATER_DEADLINE));
            case REFUSE_EXTENSION -> Step.staying(new RefuseExtension(CASE_ID, "no"),
                    ExtensionRefused.newBuilder().setCaseId(CASE_ID).setReason("no").build())
                    .after(extensionRequested(LATER_DEADLINE));
            case URGE -> Step.staying(new UrgeCase(CASE_ID, "hurry"),
                    CaseUrged.newBuilder().setCaseId(CASE_ID).setMessage("hurry").build());
            case SUPERVISE -> Step.staying(new SuperviseCase(CASE_ID, "report daily"),
                    CaseSupervised.newBuilder().setCaseId(CASE_ID).setInstructions("report daily").build());
        };
    }
}
