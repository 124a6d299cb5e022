package org.minqing.kurrentdb.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.kurrent.dbclient.AppendToStreamOptions;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ReadAllOptions;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.StreamMetadata;
import io.kurrent.dbclient.StreamNotFoundException;
import io.kurrent.dbclient.StreamState;
import io.kurrent.dbclient.SubscribeToAllOptions;
import io.kurrent.dbclient.Subscription;
import io.kurrent.dbclient.SubscriptionFilter;
import io.kurrent.dbclient.SubscriptionListener;
import io.kurrent.dbclient.WrongExpectedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the test server does — its knobs (noise, slow scans, dropped resends, a smaller maximum
 * append size) and its fixed layout (the first record, exact checkpoint positions) — checked
 * through the real client; what any server does is in {@link KurrentDbConformanceTest}.
 */
class KurrentDbTestServerTest {

    KurrentDbTestServer server;
    KurrentDBClient client;

    @BeforeEach
    void start() {
        server = KurrentDbTestServer.start();
        client = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(server.connectionString()));
    }

    @AfterEach
    void stop() throws Exception {
        client.shutdown().get();
        server.close();
    }

    private static EventData event(UUID id, String type) {
        return EventDataBuilder.json(id, type, "{}".getBytes(StandardCharsets.UTF_8)).build();
    }

    private List<RecordedEvent> read(String stream) throws Exception {
        return client.readStream(stream, ReadStreamOptions.get()).get().getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent).toList();
    }

    @Test
    void inDropResendsModeAResendGoesUnansweredAndWritesNothingWhileNewAppendsAreAnswered() throws Exception {
        UUID a = UUID.randomUUID();
        AppendToStreamOptions fresh = AppendToStreamOptions.get().streamState(StreamState.noStream()).deadline(500);
        client.appendToStream("d", fresh, event(a, "A")).get();
        server.dropResends(true);

        assertThatThrownBy(() -> client.appendToStream("d", fresh, event(a, "A")).get())
                .as("no answer before the deadline").isInstanceOf(ExecutionException.class)
                .rootCause().hasMessageContaining("DEADLINE_EXCEEDED");
        assertThat(client.appendToStream("d", AppendToStreamOptions.get().streamState(StreamState.streamRevision(0)),
                event(UUID.randomUUID(), "B")).get().getNextExpectedRevision().toRawLong()).isEqualTo(1);
        assertThat(read("d")).extracting(RecordedEvent::getEventType).containsExactly("A", "B");
    }

    @Test
    void aFollowerRefusesWhatRequiresTheLeaderNamingTheLeader() throws Exception {
        try (KurrentDbTestServer leader = KurrentDbTestServer.start()) {
            server.followerOf(leader.port());

            assertThatThrownBy(() -> client.appendToStream("f", event(UUID.randomUUID(), "A")).get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(io.kurrent.dbclient.NotLeaderException.class, notLeader ->
                            assertThat(notLeader.getLeaderEndpoint().getPort()).isEqualTo(leader.port()));
            assertThat(leader.appendsApplied() + server.appendsApplied()).as("written nowhere").isZero();
            server.followerOf(0);
            assertThat(client.appendToStream("f", event(UUID.randomUUID(), "A")).get().getNextExpectedRevision()
                    .toRawLong()).as("the leader again").isZero();
        }
    }

    @Test
    void anAppendOverTheMaximumAppendSizeIsRefusedAsARealServerRefusesIt() throws Exception {
        server.maxAppendSize(10);
        AppendToStreamOptions fresh = AppendToStreamOptions.get().streamState(StreamState.noStream());
        EventData eleven = EventDataBuilder.json(UUID.randomUUID(), "A", "{\"a\":\"123\"}".getBytes(StandardCharsets.UTF_8)).build();

        assertThatThrownBy(() -> client.appendToStream("m", fresh, eleven).get())
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> {
                    io.grpc.Metadata trailers = io.grpc.Status.trailersFromThrowable(e.getCause());
                    assertThat(io.grpc.Status.fromThrowable(e.getCause()).getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
                    assertThat(trailers.get(io.grpc.Metadata.Key.of("exception", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
                            .isEqualTo("maximum-append-size-exceeded");
                    assertThat(trailers.get(io.grpc.Metadata.Key.of("maximum-append-size", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
                            .isEqualTo("10");
                });
        assertThat(client.appendToStream("m", fresh, event(UUID.randomUUID(), "B")).get().getNextExpectedRevision()
                .toRawLong()).as("two bytes of data: within it").isZero();
    }

    @Test
    void allIsReadFromAnEventBoundaryInclusivelyAndOtherPositionsAreRefused() throws Exception {
        client.appendToStream("u", event(UUID.randomUUID(), "1"), event(UUID.randomUUID(), "2")).get();
        List<RecordedEvent> all = client.readAll(ReadAllOptions.get()).get().getEvents().stream()
                .map(ResolvedEvent::getOriginalEvent).toList();
        assertThat(all).extracting(RecordedEvent::getStreamId).containsExactly("$stats-127.0.0.1:2113", "u", "u");
        Position second = all.get(1).getPosition();

        assertThat(client.readAll(ReadAllOptions.get().fromPosition(second)).get().getEvents())
                .extracting(e -> e.getOriginalEvent().getEventType()).containsExactly("1", "2");
        Position between = new Position(second.getCommitUnsigned() + 1, second.getPrepareUnsigned() + 1);
        assertThatThrownBy(() -> client.readAll(ReadAllOptions.get().fromPosition(between)).get())
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void aFilteredSubscriptionSendsACheckpointEveryIntervalOfRecordsScannedMatchingOrNot() throws Exception {
        server.appendNoise(99); // with the server's first record: 100 not matching
        client.appendToStream("case-1", event(UUID.randomUUID(), "Reported")).get();
        List<Position> checkpoints = new CopyOnWriteArrayList<>();
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch caughtUp = new CountDownLatch(1);
        Subscription subscription = client.subscribeToAll(new SubscriptionListener() {
            @Override
            public void onEvent(Subscription s, ResolvedEvent event) {
                events.add(event.getOriginalEvent().getStreamId());
            }

            @Override
            public void onCaughtUp(Subscription s, Instant at, Long revision, Position position) {
                caughtUp.countDown();
            }
        }, SubscribeToAllOptions.get().fromStart().filter(SubscriptionFilter.newBuilder()
                .addStreamNamePrefix("case-").withMaxWindow(10).withCheckpointer((s, position) -> {
                    checkpoints.add(position);
                    return CompletableFuture.completedFuture(null);
                }, 2).build())).get();
        try {
            assertThat(caughtUp.await(10, TimeUnit.SECONDS)).isTrue();
            List<Position> all = client.readAll(ReadAllOptions.get()).get().getEvents().stream()
                    .map(e -> e.getOriginalEvent().getPosition()).toList();
            assertThat(events).containsExactly("case-1");
            // 101 records scanned, a window of 10 times 2: checkpoints at the 20th, 40th … 100th record.
            assertThat(checkpoints).containsExactly(all.get(19), all.get(39), all.get(59), all.get(79), all.get(99));
        } finally {
            subscription.stop();
        }
    }

    @Test
    void inSlowScanModeARunOfNoiseTakesTimeToPassWithOnlyCheckpointsMeanwhile() throws Exception {
        server.appendNoise(2_000);
        client.appendToStream("case-1", event(UUID.randomUUID(), "Reported")).get();
        server.scanCost(Duration.ofNanos(500_000)); // 2,001 records: at least a second
        List<Instant> checkpoints = new CopyOnWriteArrayList<>();
        CompletableFuture<Instant> event = new CompletableFuture<>();
        Instant subscribed = Instant.now();
        Subscription subscription = client.subscribeToAll(new SubscriptionListener() {
            @Override
            public void onEvent(Subscription s, ResolvedEvent e) {
                event.complete(Instant.now());
            }
        }, SubscribeToAllOptions.get().fromStart().filter(SubscriptionFilter.newBuilder()
                .addStreamNamePrefix("case-").withCheckpointer((s, position) -> {
                    checkpoints.add(Instant.now());
                    return CompletableFuture.completedFuture(null);
                }).build())).get();
        try {
            Instant arrived = event.get(20, TimeUnit.SECONDS);
            assertThat(Duration.between(subscribed, arrived)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(checkpoints).hasSize(2_001 / 32);
            assertThat(checkpoints.get(0)).isBefore(subscribed.plusMillis(500));
        } finally {
            subscription.stop();
        }
    }
}
