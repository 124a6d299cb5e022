package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.projections.SampleEvents.dispatched;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.edge.queries.QueryFixture.SUPERVISOR;
import static org.minqing.edge.queries.QueryFixture.T0;

import java.time.Duration;
import java.util.List;

import io.grpc.Status;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseAcknowledged;
import org.minqing.api.v1.CaseClosed;
import org.minqing.api.v1.CaseRejected;
import org.minqing.api.v1.CaseResolved;
import org.minqing.api.v1.CaseUrged;
import org.minqing.api.v1.FeedbackRecorded;
import org.minqing.api.v1.Satisfaction;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.api.v1.WatchTimelineEntriesRequest;
import org.minqing.edge.Caller;
import org.minqing.projections.EventFeed;
import org.minqing.projections.ProjectionProperties;
import org.minqing.projections.summary.CaseSummaryProjection;
import org.minqing.projections.timeline.CaseTimelineProjection;
import org.minqing.privacy.PrivacyProperties;
import org.minqing.query.QueryProperties;

class WatchTimelineEntriesTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    private final QueryFixture fixture = new QueryFixture(T0);

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void streamsTheHistoryThenNewEntriesAndEndsWithTheClose() throws InterruptedException {
        fixture.feed.publish(reported("c1", T0).build());
        fixture.feed.publish(CaseAccepted.newBuilder().setCaseId("c1").build());

        RecordingObserver<TimelineEntry> stream = watch("cases/c1", 0);
        stream.awaitValues(2);
        fixture.feed.publish(dispatched("c1", "water-bureau", T0.plus(Duration.ofDays(1)), null).build());
        fixture.feed.publish(CaseAcknowledged.newBuilder().setCaseId("c1").build());
        fixture.feed.publish(CaseResolved.newBuilder().setCaseId("c1").build());
        fixture.feed.publish(FeedbackRecorded.newBuilder().setCaseId("c1").setSolved(true)
                .setSatisfaction(Satisfaction.SATISFACTION_SATISFIED).build());
        stream.awaitValues(6);
        assertThat(stream.isCompleted()).as("the case is not closed yet").isFalse();
        fixture.feed.publish(CaseClosed.newBuilder().setCaseId("c1").build());

        assertThat(stream.awaitClose(SOON)).isTrue();
        assertThat(stream.isCompleted()).isTrue();
        assertThat(stream.values).extracting(TimelineEntry::getSequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(stream.values.get(6).getEventType()).isEqualTo("minqing.v1.CaseClosed");
        assertPollingStopped();
    }

    @Test
    void startsAtTheRequestedSequenceAndEndsAtOnceForAFinishedCase() throws InterruptedException {
        fixture.feed.publish(reported("c1", T0).build());
        fixture.feed.publish(CaseUrged.newBuilder().setCaseId("c1").setMessage("m").build());
        fixture.feed.publish(CaseRejected.newBuilder().setCaseId("c1").setReason("not ours").build());

        RecordingObserver<TimelineEntry> stream = watch("cases/c1", 1);

        assertThat(stream.awaitClose(SOON)).isTrue();
        assertThat(stream.isCompleted()).isTrue();
        assertThat(stream.values).extracting(TimelineEntry::getSequence).containsExactly(1L, 2L);
    }

    @Test
    void waitsForTheSummaryToConfirmTheEndWhenTheProjectionsLagEachOther() throws InterruptedException {
        EventFeed timelineOnly = new EventFeed(T0, new CaseTimelineProjection(fixture.jdbc, new ProjectionProperties(null)));
        EventFeed summaryOnly = new EventFeed(T0, new CaseSummaryProjection(fixture.jdbc,
                org.minqing.projections.TestKeys.envelopes(fixture.jdbc)));
        for (EventFeed feed : new EventFeed[] {timelineOnly, summaryOnly}) {
            feed.publish(reported("c1", T0).build());
        }
        RecordingObserver<TimelineEntry> stream = watch("cases/c1", 0);
        timelineOnly.publish(CaseRejected.newBuilder().setCaseId("c1").build());
        stream.awaitValues(2);
        assertThat(stream.awaitClose(Duration.ofMillis(200))).as("the summary does not know of the end yet").isFalse();

        summaryOnly.publish(CaseRejected.newBuilder().setCaseId("c1").build());

        assertThat(stream.awaitClose(SOON)).isTrue();
        assertThat(stream.values).hasSize(2);
    }

    @Test
    void aCancelledStreamStopsPolling() throws InterruptedException {
        fixture.feed.publish(reported("c1", T0).build());
        RecordingObserver<TimelineEntry> stream = watch("cases/c1", 0);
        stream.awaitValues(1);

        stream.cancel();
        fixture.feed.publish(CaseAccepted.newBuilder().setCaseId("c1").build());

        assertPollingStopped();
        assertThat(stream.values).hasSize(1);
        assertThat(stream.isCompleted()).isFalse();
    }

    @Test
    void sendsOnlyWhileTheClientCanTakeMessages() throws InterruptedException {
        fixture.feed.publish(reported("c1", T0).build());
        fixture.feed.publish(CaseAccepted.newBuilder().setCaseId("c1").build());
        RecordingObserver<TimelineEntry> stream = new RecordingObserver<>();
        stream.setReady(false);
        Caller.runAs(SUPERVISOR, () -> fixture.service.watchTimelineEntries(
                WatchTimelineEntriesRequest.newBuilder().setParent("cases/c1").build(), stream));
        // Three polls found entries to send and were told to wait; none sent anything.
        Awaitility.await().atMost(SOON).until(() -> stream.readinessChecks.get() >= 3);
        assertThat(stream.values).isEmpty();

        stream.setReady(true);

        stream.awaitValues(2);
        assertThat(stream.values).extracting(TimelineEntry::getSequence).containsExactly(0L, 1L);
        stream.cancel();
    }

    @Test
    void unknownCasesAndBadRequestsAreRefused() throws InterruptedException {
        RecordingObserver<TimelineEntry> unknown = watch("cases/nope", 0);
        assertThat(unknown.awaitClose(SOON)).isTrue();
        assertThat(QueryFixture.code(unknown.error())).isEqualTo(Status.Code.NOT_FOUND);

        RecordingObserver<TimelineEntry> bad = watch("c1", -1);
        assertThat(QueryFixture.violatedFields(bad.error())).containsExactly("parent", "start_sequence");
    }

    @Test
    void aStoreOutageIsUnavailableNotUnknown() throws InterruptedException {
        javax.sql.DataSource down = new org.springframework.jdbc.datasource.AbstractDataSource() {
            @Override
            public java.sql.Connection getConnection() throws java.sql.SQLException {
                throw new java.sql.SQLTransientConnectionException("connection refused", "08001");
            }

            @Override
            public java.sql.Connection getConnection(String username, String password) throws java.sql.SQLException {
                return getConnection();
            }
        };
        CaseQueryGrpcService service = new CaseQueryGrpcService(new org.springframework.jdbc.core.JdbcTemplate(down),
                java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC), new PrivacyProperties(null, null, null, null, null, null),
                new QueryProperties(Duration.ofMillis(20), 1, 1), fixture.scheduler, new WatchQuota(1),
                new org.minqing.edge.audit.PersonalDataReads(new org.springframework.jdbc.core.JdbcTemplate(down)),
                org.minqing.projections.TestKeys.envelopes(fixture.jdbc));
        RecordingObserver<TimelineEntry> stream = new RecordingObserver<>();
        Caller.runAs(SUPERVISOR, () -> service.watchTimelineEntries(WatchTimelineEntriesRequest.newBuilder()
                .setParent("cases/c1").build(), stream));
        assertThat(stream.awaitClose(SOON)).isTrue();
        assertThat(QueryFixture.code(stream.error())).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aCallerMayHoldOnlySoManyStreamsAndGetsItsSlotBackWhenOneEnds() throws InterruptedException {
        fixture.feed.publish(reported("c1", T0).build());
        List<RecordingObserver<TimelineEntry>> open = new java.util.ArrayList<>();
        for (int i = 0; i < QueryFixture.WATCHES_PER_CALLER; i++) {
            open.add(watch("cases/c1", 0));
        }
        RecordingObserver<TimelineEntry> oneTooMany = watch("cases/c1", 0);
        assertThat(oneTooMany.awaitClose(SOON)).isTrue();
        assertThat(QueryFixture.code(oneTooMany.error())).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(open).allSatisfy(stream -> assertThat(stream.isCompleted()).isFalse());

        open.get(0).cancel();
        RecordingObserver<TimelineEntry> again = watch("cases/c1", 0);
        again.awaitValues(1);
        assertThat(again.error()).as("a cancelled stream gave its slot back").isNull();

        RecordingObserver<TimelineEntry> otherCaller = new RecordingObserver<>();
        Caller.runAs(new Caller("someone-else", "supervisor", "office"), () -> fixture.service.watchTimelineEntries(
                WatchTimelineEntriesRequest.newBuilder().setParent("cases/c1").build(), otherCaller));
        otherCaller.awaitValues(1);
        assertThat(otherCaller.error()).as("the bound is per caller").isNull();
    }

    private RecordingObserver<TimelineEntry> watch(String parent, long startSequence) {
        RecordingObserver<TimelineEntry> stream = new RecordingObserver<>();
        Caller.runAs(SUPERVISOR, () -> fixture.service.watchTimelineEntries(WatchTimelineEntriesRequest.newBuilder()
                .setParent(parent).setStartSequence(startSequence).build(), stream));
        return stream;
    }

    private void assertPollingStopped() {
        Awaitility.await().atMost(SOON).until(() -> fixture.scheduler.getQueue().isEmpty());
    }
}
