package org.minqing.command.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.command.store.EventStorageContract;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/**
 * A processor's stream (Axon's store, each stream reading for itself, as the server runs it) on a
 * log full of the server's own records, scanned slowly as a real server reads a long log: the
 * filtered subscription then sends only checkpoints for longer than the engine's idle time, and
 * the stream must still get past the run and deliver the events after it. And it keeps one
 * subscription for its life: a new one each time it has caught up would scan the run again.
 */
class KurrentDbNoisyLogTest {

    KurrentDbTestServer server;
    KurrentDbConnection connection;
    EmbeddedEventStore store;

    @BeforeEach
    void start() {
        server = KurrentDbTestServer.start();
        KurrentDbProperties properties = KurrentDbProperties.of(server.connectionString())
                .withOperationTimeout(Duration.ofSeconds(5));
        connection = new KurrentDbConnection(properties.connectionString(), properties.operationTimeout());
        Serializer snapshots = EventStorageContract.snapshotSerializer();
        store = EmbeddedEventStore.builder()
                .storageEngine(KurrentDbEventStoreConfiguration.create(connection, properties,
                        EventStorageContract.eventSerializer(snapshots), snapshots, SnapshotFilter.allowAll()))
                .optimizeEventConsumption(false)
                .build();
    }

    @AfterEach
    void stop() {
        store.shutDown();
        connection.close();
        server.close();
    }

    @Test
    void aProcessorsStreamGetsPastARunOfNoiseThatTakesLongerThanItsIdleTimeToScan() throws Exception {
        String caseId = UUID.randomUUID().toString();
        store.publish(event(caseId, 0));
        server.appendNoise(8_000);
        store.publish(event(caseId, 1));
        server.appendNoise(8_000);
        store.publish(event(caseId, 2));
        // 8,000 records at 0.25 ms each: two seconds a run, four times the 500 ms the engine waits in
        // silence before it takes a subscription as caught up; checkpoints come every 32 records.
        server.scanCost(Duration.ofNanos(250_000));

        List<String> notes = new CopyOnWriteArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                while (stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                    notes.add(((CaseAccepted) stream.nextAvailable().getPayload()).getNote());
                }
                return notes.size() >= 3;
            });
        }
        assertThat(notes).containsExactly("n0", "n1", "n2");
    }

    @Test
    void aProcessorsStreamKeepsOneSubscriptionWhileItCatchesUpAgainAndAgain() throws Exception {
        String caseId = UUID.randomUUID().toString();
        List<String> notes = new CopyOnWriteArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null)) {
            for (int round = 0; round < 5; round++) {
                store.publish(event(caseId, round));
                int expected = round + 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    while (stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                        notes.add(((CaseAccepted) stream.nextAvailable().getPayload()).getNote());
                    }
                    return notes.size() >= expected;
                });
                assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).as("caught up after round %d", round)
                        .isFalse();
            }
        }
        assertThat(notes).containsExactly("n0", "n1", "n2", "n3", "n4");
        assertThat(server.subscriptionsToAll()).as("subscriptions to $all the stream opened").isOne();
    }

    private static GenericDomainEventMessage<CaseAccepted> event(String caseId, long sequence) {
        return new GenericDomainEventMessage<>("Case", caseId, sequence,
                CaseAccepted.newBuilder().setCaseId(caseId).setNote("n" + sequence).build());
    }
}
