package org.minqing.command.cases;

import static org.minqing.command.cases.CaseHistory.*;
import static org.minqing.command.cases.CaseSteps.LATER_DEADLINE;
import static org.minqing.command.cases.CaseSteps.POLICY;
import static org.minqing.api.v1.ProtoTime.timestamp;

import java.time.Instant;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.*;
import org.minqing.command.cases.CaseCommands.RecordDeadlineBreach;

/** When a deadline's passing is recorded on the case, and when a timer finds nothing to record. */
class DeadlineBreachTest {

    /** The response deadline of {@link CaseHistory#dispatched()}. */
    static final Instant RESPONSE_DEADLINE = Instant.parse("2026-03-10T02:00:00Z");
    static final DeadlineKind RESPONSE = DeadlineKind.DEADLINE_KIND_RESPONSE;
    static final DeadlineKind RESOLUTION = DeadlineKind.DEADLINE_KIND_RESOLUTION;

    private AggregateTestFixture<Case> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Case.class);
        fixture.registerInjectableResource(POLICY);
        fixture.registerInjectableResource(CaseSteps.clockOf(fixture));
        fixture.registerFieldFilter(field -> !field.getName().startsWith("memoized"));
    }

    static DeadlineBreached breach(DeadlineKind kind, Instant deadline, String department) {
        return DeadlineBreached.newBuilder().setCaseId(CASE_ID).setKind(kind).setDeadline(timestamp(deadline))
                .setDepartment(department).build();
    }

    @Test
    void anUnansweredDispatchBreachesItsResponseDeadlineOnceItHasPassed() {
        fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                .andGivenCurrentTime(RESPONSE_DEADLINE)
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectEvents(breach(RESPONSE, RESPONSE_DEADLINE, DEPARTMENT));
    }

    @Test
    void anAcknowledgementAloneIsNotAResponse() {
        fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS))
                .andGivenCurrentTime(RESPONSE_DEADLINE.plusSeconds(60))
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectEvents(breach(RESPONSE, RESPONSE_DEADLINE, DEPARTMENT));
    }

    @Test
    void nothingIsRecordedBeforeTheDeadline() {
        fixture.given(CaseHistory.to(CaseStatus.DISPATCHED))
                .andGivenCurrentTime(RESPONSE_DEADLINE.minusMillis(1))
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aResponseGivenInTimeIsNotBreached() {
        fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS,
                        contacted().toBuilder().setResponseTime(timestamp(RESPONSE_DEADLINE.minusSeconds(600))).build()))
                .andGivenCurrentTime(RESPONSE_DEADLINE.plusSeconds(60))
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    /** Events recorded before the case recorded its response time: the case still knows it responded. */
    @Test
    void aHistoryRecordedBeforeResponseTimesStillCountsItsResponse() {
        fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, contacted()))
                .andGivenCurrentTime(RESPONSE_DEADLINE.plusSeconds(60))
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aDeadlineIsBreachedOnlyOnce() {
        fixture.given(CaseHistory.to(CaseStatus.DISPATCHED, breach(RESPONSE, RESPONSE_DEADLINE, DEPARTMENT)))
                .andGivenCurrentTime(RESPONSE_DEADLINE.plusSeconds(3600))
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectNoEvents();
    }

    @Test
    void aTransferReplacesTheDeadlinesSoTheOldTimerRecordsNothingAndTheNewOneDoes() {
        Instant newResponse = Instant.parse("2026-03-11T02:00:00Z");
        CaseTransferred transferred = CaseTransferred.newBuilder().setCaseId(CASE_ID).setFromDepartment(DEPARTMENT)
                .setDepartment("dept-water").setDeadlines(Deadlines.newBuilder()
                        .setResponseDeadline(timestamp(newResponse))
                        .setResolutionDeadline(timestamp(LATER_DEADLINE)))
                .build();
        fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, contacted(), transferred))
                .andGivenCurrentTime(newResponse)
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectNoEvents();
        // the new department owes its own response: the earlier contact was the previous department's
        fixture.given(CaseHistory.to(CaseStatus.IN_PROGRESS, contacted(), transferred))
                .andGivenCurrentTime(newResponse)
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, newResponse))
                .expectEvents(breach(RESPONSE, newResponse, "dept-water"));
    }

    @Test
    void anApprovedExtensionMovesTheResolutionDeadlineAndMayBeBreachedAgain() {
        ExtensionApproved approved = ExtensionApproved.newBuilder().setCaseId(CASE_ID)
                .setResolutionDeadline(timestamp(LATER_DEADLINE)).build();
        List<Object> extended = CaseHistory.to(CaseStatus.IN_PROGRESS, contacted(),
                breach(RESOLUTION, RESOLUTION_DEADLINE, DEPARTMENT), extensionRequested(LATER_DEADLINE), approved);
        fixture.given(extended)
                .andGivenCurrentTime(LATER_DEADLINE.minusSeconds(1))
                .when(new RecordDeadlineBreach(CASE_ID, RESOLUTION, RESOLUTION_DEADLINE))
                .expectNoEvents();
        fixture.given(extended)
                .andGivenCurrentTime(LATER_DEADLINE)
                .when(new RecordDeadlineBreach(CASE_ID, RESOLUTION, LATER_DEADLINE))
                .expectEvents(breach(RESOLUTION, LATER_DEADLINE, DEPARTMENT));
    }

    @Test
    void aResolvedOrClosedCaseBreachesNothing() {
        fixture.given(CaseHistory.to(CaseStatus.RESOLVED))
                .andGivenCurrentTime(RESOLUTION_DEADLINE.plusSeconds(1))
                .when(new RecordDeadlineBreach(CASE_ID, RESOLUTION, RESOLUTION_DEADLINE))
                .expectNoEvents();
        fixture.given(CaseHistory.to(CaseStatus.CLOSED))
                .andGivenCurrentTime(RESOLUTION_DEADLINE.plusSeconds(1))
                .when(new RecordDeadlineBreach(CASE_ID, RESOLUTION, RESOLUTION_DEADLINE))
                .expectNoEvents();
    }

    @Test
    void aReturnedCaseWaitsForANewDispatchAndBreachesNothing() {
        fixture.given(CaseHistory.to(CaseStatus.RETURNED))
                .andGivenCurrentTime(RESPONSE_DEADLINE.plusSeconds(1))
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectNoEvents();
    }

    @Test
    void aReopenedCaseBreachesItsNewResolutionDeadlineAndHasNoResponseDeadline() {
        Instant reopenDeadline = Instant.parse("2026-03-30T16:00:00Z");
        CaseReopened reopened = CaseReopened.newBuilder().setCaseId(CASE_ID).setDepartment(DEPARTMENT)
                .setDeadlines(Deadlines.newBuilder().setResolutionDeadline(timestamp(reopenDeadline))).build();
        List<Object> history = CaseHistory.to(CaseStatus.FOLLOWED_UP, reopened);
        fixture.given(history)
                .andGivenCurrentTime(reopenDeadline)
                .when(new RecordDeadlineBreach(CASE_ID, RESPONSE, RESPONSE_DEADLINE))
                .expectNoEvents();
        fixture.given(history)
                .andGivenCurrentTime(reopenDeadline)
                .when(new RecordDeadlineBreach(CASE_ID, RESOLUTION, reopenDeadline))
                .expectEvents(breach(RESOLUTION, reopenDeadline, DEPARTMENT));
    }
}
