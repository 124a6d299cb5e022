package org.minqing.command.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.command.store.EventStorageContract;
import org.minqing.command.store.EventStoreUnavailableException;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/** The KurrentDB engine when the server goes away, comes back, or is too slow. */
class KurrentDbFaultTest {

    KurrentDbTestServer server;
    KurrentDbConnection connection;
    KurrentDbEventStorageEngine engine;

    @BeforeEach
    void start() {
        server = KurrentDbTestServer.start();
        KurrentDbProperties properties = KurrentDbProperties.of(server.connectionString())
                .withOperationTimeout(Duration.ofSeconds(1)).withReadBatchSize(2);
        connection = new KurrentDbConnection(properties.connectionString(), properties.operationTimeout());
        Serializer snapshots = EventStorageContract.snapshotSerializer();
        engine = KurrentDbEventStoreConfiguration.create(connection, properties,
                EventStorageContract.eventSerializer(snapshots), snapshots, SnapshotFilter.allowAll());
    }

    @AfterEach
    void stop() {
        connection.close();
        server.close();
    }

    private static GenericDomainEventMessage<CaseAccepted> event(String caseId, long sequence) {
        return new GenericDomainEventMessage<>("Case", caseId, sequence,
                CaseAccepted.newBuilder().setCaseId(caseId).setNote("n" + sequence).build());
    }

    @Test
    void theServerStopsMidStreamAndReturnsTrackingResumesWithoutRepeatOrSkip() {
        String caseId = UUID.randomUUID().toString();
        for (int i = 0; i < 6; i++) {
            engine.appendEvents(event(caseId, i));
        }
        List<String> seen = new ArrayList<>();
        TrackingToken last = null;
        try (Stream<? extends TrackedEventMessage<?>> stream = engine.readEvents(null, false)) {
            Iterator<? extends TrackedEventMessage<?>> events = stream.iterator();
            for (int i = 0; i < 2; i++) {
                TrackedEventMessage<?> event = events.next();
                seen.add(((CaseAccepted) event.getPayload()).getNote());
                last = event.trackingToken();
            }
            server.stop();
            Instant stopped = Instant.now();
            assertThatThrownBy(() -> engine.appendEvents(event(caseId, 6)))
                    .isInstanceOf(EventStoreUnavailableException.class);
            assertThat(Duration.between(stopped, Instant.now())).as("no hang").isLessThan(Duration.ofSeconds(10));
            // Whatever the stream had already received it may still hand out; then it ends or fails.
            try {
                while (events.hasNext()) {
                    TrackedEventMessage<?> event = events.next();
                    seen.add(((CaseAccepted) event.getPayload()).getNote());
                    last = event.trackingToken();
                }
            } catch (EventStoreUnavailableException dropped) {
                // The subscription was dropped: the consumer resumes from its last token.
            }
        }
        server.startServing();

        List<String> rest = new ArrayList<>();
        TrackingToken position = last;
        Instant giveUp = Instant.now().plusSeconds(15);
        while (seen.size() + rest.size() < 6 && Instant.now().isBefore(giveUp)) {
            try (Stream<? extends TrackedEventMessage<?>> stream = engine.readEvents(position, false)) {
                for (TrackedEventMessage<?> event : stream.toList()) {
                    rest.add(((CaseAccepted) event.getPayload()).getNote());
                    position = event.trackingToken();
                }
            } catch (EventStoreUnavailableException reconnecting) {
                // The client may need a moment to reconnect.
            }
        }
        List<String> all = new ArrayList<>(seen);
        all.addAll(rest);
        assertThat(all).containsExactly("n0", "n1", "n2", "n3", "n4", "n5");
        engine.appendEvents(event(caseId, 6));
        assertThat(engine.lastSequenceNumberFor(caseId)).contains(6L);
    }

    @Test
    void aSlowServerTimesOutAndTheResentAppendIsWrittenOnce() throws Exception {
        String caseId = UUID.randomUUID().toString();
        engine.appendEvents(event(caseId, 0));
        server.delayAppends(Duration.ofMillis(1500));
        long applied = server.appendsApplied();
        Instant asked = Instant.now();

        assertThatThrownBy(() -> engine.appendEvents(event(caseId, 1), event(caseId, 2)))
                .isInstanceOf(EventStoreUnavailableException.class);
        assertThat(Duration.between(asked, Instant.now())).as("bounded by the deadlines").isLessThan(Duration.ofSeconds(5));

        server.delayAppends(Duration.ZERO);
        await("the first attempt and the resend reach the log").atMost(Duration.ofSeconds(10))
                .until(() -> server.appendsApplied() >= applied + 2);
        assertThat(engine.readEvents(caseId).asStream().map(e -> ((CaseAccepted) e.getPayload()).getNote()))
                .as("the same ids at the same expected revision were written once")
                .containsExactly("n0", "n1", "n2");
    }

    @Test
    void aLostAnswerIsMadeGoodByTheResendUnlessTheServerLeavesTheResendUnanswered() {
        String caseId = UUID.randomUUID().toString();
        engine.appendEvents(event(caseId, 0));
        server.loseAnswers(1); // written, but the answer never comes
        engine.appendEvents(event(caseId, 1)); // the resend finds it written and says so

        server.loseAnswers(1);
        server.dropResends(true); // as a real server with a resend of what it has not yet replicated
        assertThatThrownBy(() -> engine.appendEvents(event(caseId, 2)))
                .isInstanceOf(EventStoreUnavailableException.class);

        assertThat(engine.readEvents(caseId).asStream().map(e -> ((CaseAccepted) e.getPayload()).getNote()))
                .as("each written once; the last although the caller was told UNAVAILABLE (a retry finds it: RequestLedger)")
                .containsExactly("n0", "n1", "n2");
    }

    @Test
    void anAppendLargerThanTheServersMaximumIsRefusedNamingTheLimitAndWritesNothing() {
        String caseId = UUID.randomUUID().toString();
        engine.appendEvents(event(caseId, 0));
        server.maxAppendSize(200);
        GenericDomainEventMessage<CaseAccepted> large = new GenericDomainEventMessage<>("Case", caseId, 1,
                CaseAccepted.newBuilder().setCaseId(caseId).setNote("x".repeat(300)).build());

        assertThatThrownBy(() -> engine.appendEvents(large))
                .isInstanceOf(org.axonframework.eventsourcing.eventstore.EventStoreException.class)
                .hasMessageContaining("larger than KurrentDB's maximum append size (200 bytes");
        assertThat(engine.lastSequenceNumberFor(caseId)).contains(0L);
    }

    @Test
    void aTokenAtAnInstantFollowsTheEventsTimesNotAServerClockThatIsOff() {
        server.clockOffset(Duration.ofHours(1)); // the server's "created" times an hour ahead
        String caseId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        engine.appendEvents(at(event(caseId, 0), now.minus(Duration.ofMinutes(10))),
                at(event(caseId, 1), now.minus(Duration.ofMinutes(5))));

        TrackingToken token = engine.createTokenAt(now.minus(Duration.ofMinutes(7)));
        try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(token, false)) {
            assertThat(events.map(event -> ((CaseAccepted) event.getPayload()).getNote())).containsExactly("n1");
        }
        assertThat(engine.createTokenAt(now.minus(Duration.ofMinutes(20)))).as("before every event: the start").isNull();
    }

    private static GenericDomainEventMessage<CaseAccepted> at(GenericDomainEventMessage<CaseAccepted> event, Instant time) {
        return new GenericDomainEventMessage<>(event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(),
                event.getPayload(), event.getMetaData(), event.getIdentifier(), time);
    }
}
