package org.minqing.command.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.minqing.command.cases.CaseHistory.*;
import static org.minqing.command.cases.CaseSteps.*;
import static org.minqing.command.cases.Refusals.refused;
import static org.minqing.api.v1.ProtoTime.timestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.minqing.api.v1.*;
import org.minqing.command.cases.CaseCommands.*;

/** The case's life, as a specification: given what happened, when a command arrives, then what is recorded. */
class CaseTest {

    private AggregateTestFixture<Case> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Case.class);
        fixture.registerInjectableResource(POLICY);
        fixture.registerInjectableResource(CaseSteps.clockOf(fixture));
        // Protobuf messages cache their hash code and size; compare their content only.
        fixture.registerFieldFilter(field -> !field.getName().startsWith("memoized"));
        // The given history happens when CaseHistory says the case was reported, not today.
        fixture.givenCurrentTime(CaseHistory.REPORT_TIME);
    }

    // ---- the state table, exhaustively ----

    static Stream<Arguments> allowedSteps() {
        return Arrays.stream(CaseStatus.values()).flatMap(status -> status.allowed().stream()
                .filter(action -> action != CaseAction.MERGE)
                .map(action -> Arguments.of(status, action)));
    }

    static Stream<Arguments> refusedSteps() {
        return Arrays.stream(CaseStatus.values()).flatMap(status -> Arrays.stream(CaseAction.values())
                .filter(action -> action != CaseAction.MERGE && !status.allows(action))
                .map(action -> Arguments.of(status, action)));
    }

    @ParameterizedTest(name = "{1} in {0} is recorded")
    @MethodSource("allowedSteps")
    void everyStepTheTableAllowsIsRecorded(CaseStatus status, CaseAction action) {
        Step step = legal(action);
        List<Object> given = new ArrayList<>(CaseHistory.to(status));
        given.addAll(step.before());

        fixture.given(given)
                .andGivenCurrentTime(NOW)
                .when(step.command())
                .expectSuccessfulHandlerExecution()
                .expectEvents(step.expected().toArray())
                .expectState(c -> assertThat(c.status()).isEqualTo(step.next().apply(status)));
    }

    @ParameterizedTest(name = "{1} in {0} is refused")
    @MethodSource("refusedSteps")
    void everyStepTheTableDoesNotAllowIsRefused(CaseStatus status, CaseAction action) {
        fixture.given(CaseHistory.to(status))
                .andGivenCurrentTime(NOW)
                .when(commandFor(action))
                .expectNoEvents()
                .expectException(refused(status, action))
                .expectExceptionMessage(containsString("case " + CASE_ID + " is " + status + ": " + action
                        + " is not allowed; allowed: "));
    }

    @Test
    void aRefusalListsTheAllowedActionsOrNone() {
        fixture.given(CaseHistory.to(CaseStatus.REPORTED))
                .when(new ResolveCase(CASE_ID, "", List.of()))
                .expectExceptionMessage("case case-1 is REPORTED: RESOLVE is not allowed; "
                        + "allowed: ACCEPT, REJECT, MERGE, ADD_PROGRESS_NOTE");
        fixture.given(CaseHistory.to(CaseStatus.REJECTED))
                .when(new AddProgressNote(CASE_ID, "late"))
                .expectExceptionMessage("case case-1 is REJECTED: ADD_PROGRESS_NOTE is not allowed; allowed: none");
        fixture.given(CaseHistory.to(CaseStatus.CLOSED))
                .when(new AddProgressNote(CASE_ID, "late"))
                .expectExceptionMessage("case case-1 is CLOSED: ADD_PROGRESS_NOTE is not allowed; allowed: REOPEN");
    }

    // ---- the report ----

    @Nested
    class Report {

        @Test
        void aNewReportRecordsTheCaseWithItsReportTime() {
            fixture.givenNoPriorActivity()
                    .when(report(CASE_ID))
                    .expectEvents(reported())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.REPORTED));
        }

        @Test
        void aRetriedReportRecordsNothing() {
            fixture.given(reported())
                    .when(report(CASE_ID))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aRetryWithoutAReportTimeIsStillTheSameReport() {
            ReportCase first = report(CASE_ID);
            fixture.given(reported())
                    .when(new ReportCase(CASE_ID, first.channel(), first.partnerReference(), first.citizen(),
                            first.category(), first.urgency(), first.title(), first.description(), first.location(),
                            first.attachments(), first.reportTime().plusSeconds(90)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anotherReportUnderTheSameReferenceIsRefused() {
            ReportCase first = report(CASE_ID);
            ReportCase other = new ReportCase(CASE_ID, first.channel(), first.partnerReference(), first.citizen(),
                    "noise", first.urgency(), "Loud music at night", first.description(), first.location(),
                    first.attachments(), first.reportTime());
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .when(other)
                    .expectNoEvents()
                    .expectException(ReportConflictException.class)
                    .expectExceptionMessage(containsString("partner reference hl-0001 already names case " + CASE_ID));
        }

        @Test
        void aReportRetriedAfterTheCaseMovedOnRecordsNothingAndChangesNothing() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .when(report(CASE_ID))
                    .expectNoEvents()
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.IN_PROGRESS));
        }
    }

    // ---- dispatch and deadlines ----

    @Nested
    class Dispatch {

        @Test
        void dispatchRecordsTheDeadlinesThePolicyGivesAtDispatchTime() {
            // Friday 2026-02-13 10:00 in Beijing, the eve of the Spring Festival break (2-15..2-23):
            // 7 working days are 2-14 (make-up Saturday), 2-24..2-27, 2-28 (make-up Saturday) and 3-2.
            fixture.given(reported(), accepted())
                    .andGivenCurrentTime(Instant.parse("2026-02-13T02:00:00Z"))
                    .when(new DispatchCase(CASE_ID, DEPARTMENT, HANDLER, "fill it"))
                    .expectEvents(CaseDispatched.newBuilder()
                            .setCaseId(CASE_ID).setDepartment(DEPARTMENT).setHandler(HANDLER).setInstructions("fill it")
                            .setDeadlines(Deadlines.newBuilder()
                                    .setResponseLimit("24h")
                                    .setResolutionLimit("7 working days")
                                    .setResponseDeadline(timestamp(Instant.parse("2026-02-14T02:00:00Z")))
                                    .setResolutionDeadline(timestamp(Instant.parse("2026-03-02T16:00:00Z"))))
                            .build());
        }

        @Test
        void anEmergencyGetsThirtyMinutesToRespondAndTwoHoursToResolve() {
            CaseReported emergency = reported().toBuilder().setUrgency(Urgency.URGENCY_EMERGENCY).build();
            fixture.given(emergency, accepted())
                    .andGivenCurrentTime(Instant.parse("2026-02-15T15:00:00Z"))
                    .when(new DispatchCase(CASE_ID, DEPARTMENT, "", ""))
                    .expectEvents(CaseDispatched.newBuilder()
                            .setCaseId(CASE_ID).setDepartment(DEPARTMENT)
                            .setDeadlines(Deadlines.newBuilder()
                                    .setResponseLimit("30m").setResolutionLimit("2h")
                                    .setResponseDeadline(timestamp(Instant.parse("2026-02-15T15:30:00Z")))
                                    .setResolutionDeadline(timestamp(Instant.parse("2026-02-15T17:00:00Z"))))
                            .build());
        }

        @Test
        void aReturnedCaseCanBeDispatchedAgainAndTheDepartmentMustAcknowledgeItAnew() {
            fixture.given(CaseHistory.to(CaseStatus.RETURNED))
                    .andGivenCurrentTime(NOW)
                    .when(new DispatchCase(CASE_ID, "dept-water", "", ""))
                    .expectEvents(CaseDispatched.newBuilder().setCaseId(CASE_ID).setDepartment("dept-water")
                            .setDeadlines(POLICY.deadlinesFor(CATEGORY, Urgency.URGENCY_NORMAL, NOW)).build())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.DISPATCHED));
        }

        @Test
        void aReturnHandsTheCaseBackFromItsDepartment() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .when(new ReturnCase(CASE_ID, "not ours"))
                    .expectEvents(returned())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.RETURNED));
        }
    }

    @Nested
    class Transfer {

        @Test
        void aTransferMovesTheCaseWithNewDeadlinesCountedFromNow() {
            Instant now = Instant.parse("2026-03-13T09:00:00Z"); // Friday 17:00 in Beijing
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .andGivenCurrentTime(now)
                    .when(new TransferCase(CASE_ID, "dept-water", "", "a burst main"))
                    .expectEvents(CaseTransferred.newBuilder()
                            .setCaseId(CASE_ID).setFromDepartment(DEPARTMENT).setDepartment("dept-water")
                            .setReason("a burst main")
                            .setDeadlines(Deadlines.newBuilder()
                                    .setResponseLimit("24h").setResolutionLimit("7 working days")
                                    .setResponseDeadline(timestamp(Instant.parse("2026-03-14T09:00:00Z")))
                                    // 3-16..3-20, 3-23, 3-24 → end of Tuesday 3-24 in Beijing
                                    .setResolutionDeadline(timestamp(Instant.parse("2026-03-24T16:00:00Z"))))
                            .build())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.DISPATCHED));
        }

        @Test
        void aTransferToTheDepartmentThatHasItIsRefused() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .when(new TransferCase(CASE_ID, DEPARTMENT, "", "again"))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.DISPATCHED, CaseAction.TRANSFER))
                    .expectExceptionMessage(containsString("already with dept-roads"));
        }
    }

    @Nested
    class Assistance {

        @Test
        void onlyDepartmentsNotYetInvolvedAreCalledIn() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, AssistanceRequested.newBuilder().setCaseId(CASE_ID)
                            .addDepartments("dept-police").build()))
                    .when(new RequestAssistance(CASE_ID, List.of("dept-police", "dept-housing", DEPARTMENT,
                            "dept-housing"), "a collapsed wall"))
                    .expectEvents(AssistanceRequested.newBuilder().setCaseId(CASE_ID).addDepartments("dept-housing")
                            .setReason("a collapsed wall").build());
        }

        @Test
        void callingInOnlyDepartmentsAlreadyInvolvedIsRefused() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED, AssistanceRequested.newBuilder().setCaseId(CASE_ID)
                            .addDepartments("dept-police").build()))
                    .when(new RequestAssistance(CASE_ID, List.of("dept-police", DEPARTMENT), "again"))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.DISPATCHED, CaseAction.REQUEST_ASSISTANCE));
        }
    }

    /** A department or grid worker acts only on a case it holds (docs/api.md, "Who may do what"). */
    @Nested
    class HeldByTheActor {

        private Map<String, Object> actor(String role, String organization) {
            return Map.of(EventMetadata.ACTOR_ID, "someone", EventMetadata.ACTOR_ROLE, role,
                    EventMetadata.ACTOR_ORGANIZATION, organization);
        }

        @Test
        void theDepartmentHoldingTheCaseAcknowledgesIt() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .when(new AcknowledgeCase(CASE_ID, ""), actor("department", DEPARTMENT))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void anotherDepartmentIsRefusedAndNothingIsRecorded() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .when(new AcknowledgeCase(CASE_ID, ""), actor("department", "dept-water"))
                    .expectNoEvents()
                    .expectException(CaseNotHeldException.class)
                    .expectExceptionMessage(allOf(containsString("with " + DEPARTMENT), containsString("not dept-water")));
        }

        @Test
        void aGridWorkerOfAnotherDepartmentIsRefusedToo() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .when(new AddProgressNote(CASE_ID, "passing by"), actor("grid_worker", "dept-water"))
                    .expectNoEvents()
                    .expectException(CaseNotHeldException.class);
        }

        @Test
        void noDepartmentHoldsACaseNotYetDispatched() {
            fixture.given(CaseHistory.to(CaseStatus.ACCEPTED))
                    .when(new AddProgressNote(CASE_ID, "early"), actor("department", DEPARTMENT))
                    .expectNoEvents()
                    .expectExceptionMessage(containsString("not dispatched to any department"));
        }

        @Test
        void anAssistingDepartmentNotesItsWorkButDoesNotResolve() {
            List<Object> assisted = CaseHistory.to(CaseStatus.IN_PROGRESS, AssistanceRequested.newBuilder()
                    .setCaseId(CASE_ID).addDepartments("dept-police").build(), contacted());
            fixture.given(assisted)
                    .when(new AddProgressNote(CASE_ID, "patrol arranged"), actor("department", "dept-police"))
                    .expectSuccessfulHandlerExecution();
            fixture.given(assisted)
                    .when(new ResolveCase(CASE_ID, "done", List.of()), actor("department", "dept-police"))
                    .expectNoEvents()
                    .expectExceptionMessage(containsString("dept-police assists it"));
        }

        @Test
        void the12345CentreIsNotLimitedToCasesItHolds() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .when(new AddProgressNote(CASE_ID, "the citizen called"), actor("dispatcher", "12345-center"))
                    .expectSuccessfulHandlerExecution();
        }
    }

    // ---- the response ----

    @Nested
    class Response {

        @Test
        void acknowledgingWithAHandlerNamesThatHandler() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .when(new AcknowledgeCase(CASE_ID, "handler-zhao"))
                    .expectEvents(CaseAcknowledged.newBuilder().setCaseId(CASE_ID).setDepartment(DEPARTMENT)
                            .setHandler("handler-zhao").build())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.IN_PROGRESS));
        }

        @Test
        void acknowledgingWithoutAHandlerKeepsTheDispatchedOne() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .when(new AcknowledgeCase(CASE_ID, ""))
                    .expectEvents(acknowledged());
        }

        @Test
        void theCitizenMayBeContactedBeforeTheAcknowledgement() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .when(new RecordCitizenContact(CASE_ID, ContactMethod.CONTACT_METHOD_PHONE,
                            Instant.parse("2026-03-09T06:00:00Z"), "called"))
                    .expectEvents(contacted())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.DISPATCHED));
        }

        @Test
        void aContactCannotBeDatedBeforeTheDepartmentGotTheCase() {
            Instant transferred = Instant.parse("2026-03-10T02:00:00Z");
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .andGivenCurrentTime(transferred)
                    .andGiven(CaseTransferred.newBuilder().setCaseId(CASE_ID).setFromDepartment(DEPARTMENT)
                            .setDepartment("dept-water").build())
                    .when(new RecordCitizenContact(CASE_ID, ContactMethod.CONTACT_METHOD_PHONE,
                            transferred.minusSeconds(60), "called"))
                    .expectNoEvents()
                    .expectException(TimeBeforeAssignmentException.class)
                    .expectExceptionMessage(containsString("must not be before " + transferred));
        }

        @Test
        void aContactWithoutATimeIsRecordedAtTheCurrentTime() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .andGivenCurrentTime(NOW)
                    .when(new RecordCitizenContact(CASE_ID, ContactMethod.CONTACT_METHOD_SMS, null, "texted"))
                    .expectEvents(CitizenContacted.newBuilder().setCaseId(CASE_ID)
                            .setMethod(ContactMethod.CONTACT_METHOD_SMS).setContactTime(timestamp(NOW))
                            .setSummary("texted").build());
        }

        // ---- the response (响应): acknowledged and contacted, at the later of the two ----

        @Test
        void theFirstContactAfterTheAcknowledgementRecordsTheResponseAtTheContact() {
            Instant acknowledgedAt = Instant.parse("2026-03-09T03:00:00Z");
            Instant contactTime = Instant.parse("2026-03-09T06:00:00Z");
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .andGivenCurrentTime(acknowledgedAt)
                    .andGiven(acknowledged())
                    .andGivenCurrentTime(NOW)
                    .when(new RecordCitizenContact(CASE_ID, ContactMethod.CONTACT_METHOD_PHONE, contactTime, "called"))
                    .expectEvents(contacted().toBuilder().setResponseTime(timestamp(contactTime)).build());
        }

        @Test
        void aContactDatedBeforeTheAcknowledgementRecordsTheResponseAtTheAcknowledgement() {
            Instant contactTime = Instant.parse("2026-03-09T06:00:00Z");
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                    .andGivenCurrentTime(NOW)
                    .andGiven(acknowledged())
                    .when(new RecordCitizenContact(CASE_ID, ContactMethod.CONTACT_METHOD_PHONE, contactTime, "called"))
                    .expectEvents(contacted().toBuilder().setResponseTime(timestamp(NOW)).build());
        }

        @Test
        void anAcknowledgementAfterTheContactRecordsTheResponseAtTheAcknowledgement() {
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED, contacted()))
                    .andGivenCurrentTime(NOW)
                    .when(new AcknowledgeCase(CASE_ID, ""))
                    .expectEvents(acknowledged().toBuilder().setResponseTime(timestamp(NOW)).build());
        }

        @Test
        void aFurtherContactRecordsNoSecondResponse() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS,
                            contacted().toBuilder().setResponseTime(timestamp(NOW)).build()))
                    .andGivenCurrentTime(NOW)
                    .when(new RecordCitizenContact(CASE_ID, ContactMethod.CONTACT_METHOD_PHONE, NOW, "again"))
                    .expectEvents(contacted().toBuilder().setContactTime(timestamp(NOW)).setSummary("again").build());
        }

        @Test
        void aTransferredCaseOwesANewResponseFromItsNewDepartment() {
            Instant transferred = Instant.parse("2026-03-10T01:00:00Z");
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, contacted()))
                    .andGivenCurrentTime(transferred)
                    .andGiven(CaseTransferred.newBuilder().setCaseId(CASE_ID).setFromDepartment(DEPARTMENT)
                            .setDepartment("dept-water").build())
                    .andGivenCurrentTime(NOW)
                    .when(new AcknowledgeCase(CASE_ID, "handler-li"))
                    .expectEvents(CaseAcknowledged.newBuilder().setCaseId(CASE_ID).setDepartment("dept-water")
                            .setHandler("handler-li").build());
        }
    }

    // ---- visits ----

    @Nested
    class Visits {

        @Test
        void aCaseMayHaveSeveralVisits() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1"), visitCheckedIn("v1"),
                            visitCompleted("v1")))
                    .when(new ScheduleVisit(CASE_ID, "v2", Instant.parse("2026-03-11T01:00:00Z"), "Xinhua Road 1",
                            List.of("grid-worker-wang"), "measure the pothole"))
                    .expectEvents(visitScheduled("v2"));
        }

        @Test
        void aVisitIdCannotBeScheduledTwice() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1"), visitCancelled("v1")))
                    .when(new ScheduleVisit(CASE_ID, "v1", Instant.parse("2026-03-11T01:00:00Z"), "", List.of(), ""))
                    .expectNoEvents()
                    .expectException(VisitAlreadyExistsException.class)
                    .expectExceptionMessage("case case-1 already has a visit v1");
        }

        @Test
        void anUnknownVisitIsNotFound() {
            for (Object command : List.of(
                    new RescheduleVisit(CASE_ID, "v9", NOW, "", ""),
                    new CancelVisit(CASE_ID, "v9", ""),
                    new CheckInVisit(CASE_ID, "v9", NOW, null, ""),
                    new CompleteVisit(CASE_ID, "v9", "", List.of()))) {
                fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1")))
                        .when(command)
                        .expectNoEvents()
                        .expectException(VisitNotFoundException.class)
                        .expectExceptionMessage("case case-1 has no visit v9");
            }
        }

        @Test
        void onlyAScheduledVisitCanBeRescheduledCancelledOrCheckedIn() {
            Object[][] notScheduled = {
                    {visitCheckedIn("v1"), "CHECKED_IN"},
                    {visitCancelled("v1"), "CANCELLED"}};
            for (Object[] visit : notScheduled) {
                List<Object> given = CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1"), visit[0]);
                fixture.given(given).when(new RescheduleVisit(CASE_ID, "v1", NOW, "", ""))
                        .expectNoEvents()
                        .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.RESCHEDULE_VISIT))
                        .expectExceptionMessage(containsString("visit v1 is " + visit[1]
                                + "; only a SCHEDULED visit can be rescheduled"));
                fixture.given(given).when(new CancelVisit(CASE_ID, "v1", ""))
                        .expectNoEvents()
                        .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.CANCEL_VISIT));
                fixture.given(given).when(new CheckInVisit(CASE_ID, "v1", NOW, null, ""))
                        .expectNoEvents()
                        .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.CHECK_IN_VISIT));
            }
        }

        @Test
        void aCompletedVisitCannotBeCancelled() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1"), visitCheckedIn("v1"),
                            visitCompleted("v1")))
                    .when(new CancelVisit(CASE_ID, "v1", ""))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.CANCEL_VISIT))
                    .expectExceptionMessage(containsString("visit v1 is COMPLETED"));
        }

        @Test
        void onlyACheckedInVisitCanBeCompleted() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1")))
                    .when(new CompleteVisit(CASE_ID, "v1", "", List.of()))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.COMPLETE_VISIT))
                    .expectExceptionMessage(containsString("visit v1 is SCHEDULED; only a CHECKED_IN visit"));
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1"), visitCheckedIn("v1"),
                            visitCompleted("v1")))
                    .when(new CompleteVisit(CASE_ID, "v1", "", List.of()))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.COMPLETE_VISIT));
        }

        @Test
        void aCheckInWithoutATimeIsRecordedAtTheCurrentTime() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1")))
                    .andGivenCurrentTime(NOW)
                    .when(new CheckInVisit(CASE_ID, "v1", null, null, "grid-worker-wang"))
                    .expectEvents(VisitCheckedIn.newBuilder().setCaseId(CASE_ID).setVisitId("v1")
                            .setCheckInTime(timestamp(NOW)).setVisitor("grid-worker-wang").build());
        }

        @Test
        void onlyAVisitorTheVisitWasScheduledForCanCheckIn() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1")))
                    .when(new CheckInVisit(CASE_ID, "v1", NOW, null, "someone-else"))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.CHECK_IN_VISIT))
                    .expectExceptionMessage(containsString("visit v1 is for grid-worker-wang, not someone-else"));
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1").toBuilder().clearVisitors().build()))
                    .andGivenCurrentTime(NOW)
                    .when(new CheckInVisit(CASE_ID, "v1", null, null, "whoever-went"))
                    .expectEvents(VisitCheckedIn.newBuilder().setCaseId(CASE_ID).setVisitId("v1")
                            .setCheckInTime(timestamp(NOW)).setVisitor("whoever-went").build());
        }

        @Test
        void aCheckInCannotBeDatedBeforeTheDispatch() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, visitScheduled("v1")))
                    .when(new CheckInVisit(CASE_ID, "v1", CaseHistory.REPORT_TIME.minusSeconds(1), null, "grid-worker-wang"))
                    .expectNoEvents()
                    .expectException(TimeBeforeAssignmentException.class);
        }
    }

    // ---- resolution ----

    @Nested
    class Resolution {

        @Test
        void aCaseWhoseCitizenWasNeverContactedCannotBeResolved() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .when(new ResolveCase(CASE_ID, "done", List.of()))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.RESOLVE))
                    .expectExceptionMessage(containsString("the citizen has not been contacted"));
        }

        @Test
        void aCaseWithOpenVisitsCannotBeResolvedAndTheRefusalNamesThem() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, contacted(),
                            visitScheduled("v1"), visitScheduled("v2"), visitCheckedIn("v2"),
                            visitScheduled("v3"), visitCancelled("v3")))
                    .when(new ResolveCase(CASE_ID, "done", List.of()))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.RESOLVE))
                    .expectExceptionMessage(allOf(containsString("v1 (SCHEDULED), v2 (CHECKED_IN)"),
                            org.hamcrest.Matchers.not(containsString("v3"))));
        }

        @Test
        void aCaseWithOnlyFinishedVisitsIsResolvedWithItsEvidence() {
            Attachment photo = Attachment.newBuilder().setUri("s3://photos/after.jpg").setSha256("cd".repeat(32))
                    .setMediaType("image/jpeg").build();
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, contacted(),
                            visitScheduled("v1"), visitCheckedIn("v1"), visitCompleted("v1"),
                            visitScheduled("v2"), visitCancelled("v2")))
                    .when(new ResolveCase(CASE_ID, "pothole filled", List.of(photo)))
                    .expectEvents(resolved().toBuilder().addEvidence(photo).build())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.RESOLVED));
        }

        @Test
        void aReopenedCaseCanBeResolvedAgainOnTheEarlierContact() {
            fixture.given(CaseHistory.to(CaseStatus.FOLLOWED_UP, CaseReopened.newBuilder().setCaseId(CASE_ID).build()))
                    .when(new ResolveCase(CASE_ID, "really filled", List.of()))
                    .expectEvents(CaseResolved.newBuilder().setCaseId(CASE_ID).setSummary("really filled").build());
        }
    }

    // ---- follow-up, close, reopen ----

    @Nested
    class FollowUp {

        @Test
        void feedbackMayBeRecordedAgainAndTheLatestCounts() {
            fixture.given(CaseHistory.to(CaseStatus.RESOLVED, feedback(Satisfaction.SATISFACTION_UNSATISFIED)))
                    .when(new RecordFeedback(CASE_ID, true, Satisfaction.SATISFACTION_BASICALLY_SATISFIED, "ok now"))
                    .expectEvents(FeedbackRecorded.newBuilder().setCaseId(CASE_ID).setSolved(true)
                            .setSatisfaction(Satisfaction.SATISFACTION_BASICALLY_SATISFIED).setComment("ok now").build())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.FOLLOWED_UP));
        }

        @Test
        void aCaseWhoseCitizenIsUnsatisfiedIsNotClosedButReopened() {
            fixture.given(CaseHistory.to(CaseStatus.RESOLVED, feedback(Satisfaction.SATISFACTION_UNSATISFIED)))
                    .when(new CloseCase(CASE_ID, ""))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.FOLLOWED_UP, CaseAction.CLOSE))
                    .expectExceptionMessage(containsString("UNSATISFIED: reopen it instead"));
        }

        @Test
        void theLatestFeedbackDecidesWhetherTheCaseCanClose() {
            fixture.given(CaseHistory.to(CaseStatus.RESOLVED, feedback(Satisfaction.SATISFACTION_SATISFIED),
                            feedback(Satisfaction.SATISFACTION_UNSATISFIED)))
                    .when(new CloseCase(CASE_ID, ""))
                    .expectException(CaseRefusedException.class);
            fixture.given(CaseHistory.to(CaseStatus.RESOLVED, feedback(Satisfaction.SATISFACTION_UNSATISFIED),
                            feedback(Satisfaction.SATISFACTION_BASICALLY_SATISFIED)))
                    .when(new CloseCase(CASE_ID, "done"))
                    .expectEvents(CaseClosed.newBuilder().setCaseId(CASE_ID).setNote("done").build());
        }

        @Test
        void aReopenedCaseGoesBackToItsDepartmentWithOnlyANewResolutionDeadline() {
            fixture.given(CaseHistory.to(CaseStatus.RESOLVED, feedback(Satisfaction.SATISFACTION_UNSATISFIED)))
                    .andGivenCurrentTime(Instant.parse("2026-09-30T02:00:00Z")) // Wednesday before National Day
                    .when(new ReopenCase(CASE_ID, "still broken"))
                    .expectEvents(CaseReopened.newBuilder().setCaseId(CASE_ID).setReason("still broken")
                            .setDepartment(DEPARTMENT)
                            .setDeadlines(Deadlines.newBuilder()
                                    .setResolutionLimit("7 working days")
                                    // 10-8, 10-9, 10-10 (make-up Saturday), 10-12..10-15
                                    .setResolutionDeadline(timestamp(Instant.parse("2026-10-15T16:00:00Z"))))
                            .build())
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.IN_PROGRESS));
        }

        @Test
        void aClosedCaseIsReopenedWithinTheWindowAndThenNeedsANewReport() {
            Instant closedAt = Instant.parse("2026-09-01T02:00:00Z");
            fixture.givenCurrentTime(closedAt)
                    .andGiven(CaseHistory.to(CaseStatus.CLOSED))
                    .andGivenCurrentTime(closedAt.plus(java.time.Duration.ofDays(30)))
                    .when(new ReopenCase(CASE_ID, "the citizen called again: no water since yesterday"))
                    .expectSuccessfulHandlerExecution()
                    .expectState(c -> assertThat(c.status()).isEqualTo(CaseStatus.IN_PROGRESS));
            fixture.givenCurrentTime(closedAt)
                    .andGiven(CaseHistory.to(CaseStatus.CLOSED))
                    .andGivenCurrentTime(closedAt.plus(java.time.Duration.ofDays(30)).plusSeconds(1))
                    .when(new ReopenCase(CASE_ID, "two months later"))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.CLOSED, CaseAction.REOPEN))
                    .expectExceptionMessage(containsString("closed at 2026-09-01T02:00:00Z, more than 30 days ago"));
        }

        @Test
        void aReopenedCaseNeedsANewFollowUpBeforeItCanClose() {
            fixture.given(CaseHistory.to(CaseStatus.RESOLVED, feedback(Satisfaction.SATISFACTION_UNSATISFIED),
                            CaseReopened.newBuilder().setCaseId(CASE_ID).build(), resolved()))
                    .when(new CloseCase(CASE_ID, ""))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.RESOLVED, CaseAction.CLOSE));
        }
    }

    // ---- extensions ----

    @Nested
    class Extensions {

        @Test
        void onlyOneExtensionRequestMayWaitAtATime() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, extensionRequested(LATER_DEADLINE)))
                    .when(new RequestExtension(CASE_ID, LATER_DEADLINE.plusSeconds(86_400), ""))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.REQUEST_EXTENSION))
                    .expectExceptionMessage(containsString("already waiting"));
        }

        @Test
        void theRequestedDeadlineMustBeAfterTheCurrentOne() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .when(new RequestExtension(CASE_ID, RESOLUTION_DEADLINE, ""))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.REQUEST_EXTENSION))
                    .expectExceptionMessage(containsString("must be after the current resolution deadline "
                            + RESOLUTION_DEADLINE));
        }

        @Test
        void anApprovedExtensionBecomesTheDeadlineLaterRequestsMustExceed() {
            List<Object> approved = CaseHistory.to(CaseStatus.IN_PROGRESS, extensionRequested(LATER_DEADLINE),
                    ExtensionApproved.newBuilder().setCaseId(CASE_ID)
                            .setResolutionDeadline(timestamp(LATER_DEADLINE)).build());
            fixture.given(approved)
                    .when(new RequestExtension(CASE_ID, LATER_DEADLINE, ""))
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.REQUEST_EXTENSION));
            fixture.given(approved)
                    .when(new RequestExtension(CASE_ID, LATER_DEADLINE.plusSeconds(3600), "more"))
                    .expectEvents(extensionRequested(LATER_DEADLINE.plusSeconds(3600)).toBuilder()
                            .setReason("more").build());
        }

        @Test
        void afterARefusalANewRequestMayBeMade() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, extensionRequested(LATER_DEADLINE),
                            ExtensionRefused.newBuilder().setCaseId(CASE_ID).build()))
                    .when(new RequestExtension(CASE_ID, LATER_DEADLINE, "waiting for asphalt"))
                    .expectEvents(extensionRequested(LATER_DEADLINE));
        }

        @Test
        void nothingToApproveOrRefuseWithoutAWaitingRequest() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                    .when(new ApproveExtension(CASE_ID, ""))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.IN_PROGRESS, CaseAction.APPROVE_EXTENSION))
                    .expectExceptionMessage(containsString("no extension request is waiting"));
            fixture.given(CaseHistory.to(CaseStatus.DISPATCHED, extensionRequested(LATER_DEADLINE),
                            ExtensionApproved.newBuilder().setCaseId(CASE_ID)
                                    .setResolutionDeadline(timestamp(LATER_DEADLINE)).build()))
                    .when(new RefuseExtension(CASE_ID, ""))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.DISPATCHED, CaseAction.REFUSE_EXTENSION));
        }

        @Test
        void newDeadlinesFromATransferSupersedeAWaitingRequest() {
            fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, extensionRequested(LATER_DEADLINE),
                            CaseTransferred.newBuilder().setCaseId(CASE_ID).setFromDepartment(DEPARTMENT)
                                    .setDepartment("dept-water").setDeadlines(dispatched().getDeadlines()).build()))
                    .when(new ApproveExtension(CASE_ID, ""))
                    .expectNoEvents()
                    .expectException(refused(CaseStatus.DISPATCHED, CaseAction.APPROVE_EXTENSION));
        }
    }
}
