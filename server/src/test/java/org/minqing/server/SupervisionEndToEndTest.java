package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.*;

/**
 * Supervision over real gRPC, with the server's clock under the test's control: a deadline that
 * passes while the server is down is recorded exactly once after the restart, the worklist and
 * the rates show it. (Rebuilding from the log is tested in query-side's SupervisionRatesTest:
 * resetting a processor's tokens in a running server currently fails to deserialize Axon's
 * ReplayToken with the Jackson 3 token serializer; see the CHANGELOG.)
 */
class SupervisionEndToEndTest {

    /** Monday 2026-11-02 09:00 in Beijing. */
    static final Instant T0 = Instant.parse("2026-11-02T01:00:00Z");
    static final String[] FAST_WATCH = {"minqing.deadline-watch.interval=100ms", "minqing.supervision.watch-poll-interval=100ms"};

    /** The server's clock: Axon stamps events and checks deadlines with it, the queries compare with it. */
    static final class TestClock extends Clock {
        volatile Instant now = T0;

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
            return now;
        }
    }

    private final TestClock clock = new TestClock();

    /** The application's clock is {@code clock}: its rules read it and it stamps the events. */
    private MinqingServer start(Path dataDir) {
        return MinqingServer.start(dataDir, clock, FAST_WATCH);
    }

    private static ListRatesRequest november() {
        return ListRatesRequest.newBuilder().setGranularity(PeriodGranularity.PERIOD_GRANULARITY_DAY)
                .setStartDate("2026-11-01").setEndDate("2026-11-30").build();
    }

    private static List<TimelineEntry> breaches(MinqingClient client, String name) {
        return client.queries.listTimelineEntries(ListTimelineEntriesRequest.newBuilder().setParent(name).build())
                .getTimelineEntriesList().stream()
                .filter(e -> e.getEventType().equals("minqing.v1.DeadlineBreached")).toList();
    }

    @Test
    void aDeadlinePassingDuringARestartIsRecordedExactlyOnce(
            @TempDir Path dataDir) throws Exception {
        String name;
        try (MinqingServer server = start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            // water: 2 h to respond, 24 h to resolve (the default policy)
            name = client.commands.reportCase(CaseLifecycleEndToEndTest.report("SUP-" + requestId())).getCase();
            client.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
            long revision = client.commands.dispatchCase(DispatchCaseRequest.newBuilder().setName(name)
                    .setRequestId(requestId()).setDepartment("water-bureau").build()).getRevision();
            client.awaitRevision(name, revision);

            clock.now = T0.plus(Duration.ofMinutes(100)); // 100 of 120 minutes used: at risk
            assertThat(awaitWorklist(client, 1).get(0).getStatus()).isEqualTo(WorklistStatus.WORKLIST_STATUS_AT_RISK);
            assertThat(breaches(client, name)).isEmpty();
        }

        clock.now = T0.plus(Duration.ofHours(3)); // the response deadline passes while the server is down
        try (MinqingServer server = start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            awaitBreaches(client, name, 1);
            awaitWatchRounds(server, 10); // ten more rounds, and none fires the deadline again
            List<TimelineEntry> breaches = breaches(client, name);
            assertThat(breaches).singleElement().satisfies(b -> {
                assertThat(b.getActor().getId()).isEqualTo("deadline-watch");
                assertThat(b.getSummary()).startsWith("Response deadline passed (超期)");
            });

            WorklistItem item = awaitWorklist(client, 1).get(0);
            assertThat(item.getStatus()).isEqualTo(WorklistStatus.WORKLIST_STATUS_OVERDUE);
            assertThat(item.getDeadlineKind()).isEqualTo(DeadlineKind.DEADLINE_KIND_RESPONSE);
            assertThat(item.getSupervisionHistoryList()).extracting(SupervisionRecord::getAction)
                    .containsExactly(SupervisionAction.SUPERVISION_ACTION_DEADLINE_BREACHED);
            RateRow day = client.supervision.listRates(november()).getRates(0);
            assertThat(day.getValue()).isEqualTo("water-bureau");
            assertThat(day.getResponseRate().getDenominator()).isEqualTo(1);
            assertThat(day.getResponseRate().getNumerator()).isZero();
            assertThat(day.getResponseBreaches()).isEqualTo(1);
        }

        // Another restart neither loses nor repeats the breach.
        try (MinqingServer server = start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            awaitWatchRounds(server, 10);
            assertThat(breaches(client, name)).hasSize(1);
            assertThat(client.supervision.listRates(november()).getRates(0).getResponseBreaches()).isEqualTo(1);
        }
    }

    @Test
    void badPeriodsAreRefusedWithTheLimitAndUnknownDepartmentsAreEmpty(@TempDir Path dataDir) throws Exception {
        try (MinqingServer server = start(dataDir); MinqingClient client = server.client(MinqingClient.SUPERVISOR_KEY)) {
            assertThatThrownBy(() -> client.supervision.listRates(ListRatesRequest.newBuilder()
                    .setStartDate("2026-01-01").setEndDate("2027-06-30").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("at most 366 days");
                    });
            assertThatThrownBy(() -> client.supervision.listDepartmentRankings(ListDepartmentRankingsRequest.newBuilder()
                    .setMetric(RankingMetric.RANKING_METRIC_RESPONSE_RATE).setStartDate("2026-11-01").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
            assertThat(client.supervision.listRates(november().toBuilder().setDepartment("no-such-department").build())
                    .getRatesList()).isEmpty();
            assertThat(client.supervision.listWorklistItems(ListWorklistItemsRequest.newBuilder()
                    .setFilter(WorklistFilter.newBuilder().setDistrict("no-such-district")).build())
                    .getWorklistItemsList()).isEmpty();
        }
    }

    private static List<WorklistItem> awaitWorklist(MinqingClient client, int size) {
        return await("worklist of " + size + " items").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.supervision.listWorklistItems(ListWorklistItemsRequest.getDefaultInstance())
                        .getWorklistItemsList(), items -> items.size() >= size && items.stream().allMatch(i ->
                        i.getSupervisionHistoryCount() > 0 || i.getStatus() == WorklistStatus.WORKLIST_STATUS_AT_RISK));
    }

    private static void awaitBreaches(MinqingClient client, String name, int count) {
        await("a breach of " + name).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> breaches(client, name).size() >= count);
    }

    /** Waits until the server's deadline watch has finished {@code rounds} more rounds. */
    private static void awaitWatchRounds(MinqingServer server, int rounds) {
        Counter finished = server.context.getBean(MeterRegistry.class).get("minqing.deadline-watch.rounds").counter();
        double from = finished.count();
        await(rounds + " rounds of the deadline watch").atMost(Duration.ofSeconds(20))
                .until(() -> finished.count() >= from + rounds);
    }
}
