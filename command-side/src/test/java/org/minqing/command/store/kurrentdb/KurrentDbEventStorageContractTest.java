package org.minqing.command.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.minqing.command.store.EventStorageContract;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/**
 * The contract on the KurrentDB engine, through the real client, against the protocol test
 * server; plus what only this engine promises: the stream layout other KurrentDB tools see.
 */
class KurrentDbEventStorageContractTest extends EventStorageContract {

    static KurrentDbTestServer server;
    KurrentDbConnection connection;
    Serializer events;

    @BeforeAll
    static void startServer() {
        server = KurrentDbTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected EventStorageEngine createEngine(Serializer eventSerializer, Serializer snapshotSerializer,
                                              SnapshotFilter snapshotFilter) {
        events = eventSerializer;
        KurrentDbProperties properties = KurrentDbProperties.of(server.connectionString())
                .withOperationTimeout(Duration.ofSeconds(5));
        connection = new KurrentDbConnection(properties.connectionString(), properties.operationTimeout());
        return KurrentDbEventStoreConfiguration.create(connection, properties, eventSerializer, snapshotSerializer,
                snapshotFilter);
    }

    @AfterEach
    void closeConnection() {
        connection.close();
    }

    @Test
    void anAggregatesEventsAreOneStreamReadableByKurrentDbTools() throws Exception {
        String caseId = newCaseId();
        DomainEventMessage<?> event = event(caseId, 0, "tools");
        engine.appendEvents(event);

        List<RecordedEvent> stored = connection.client().readStream("case-" + caseId, ReadStreamOptions.get())
                .get().getEvents().stream().map(ResolvedEvent::getOriginalEvent).toList();

        assertThat(stored).hasSize(1);
        RecordedEvent recorded = stored.get(0);
        SerializedObject<byte[]> canonical = events.serialize(event.getPayload(), byte[].class);
        assertThat(recorded.getEventType()).isEqualTo("minqing.v1.CaseAccepted");
        assertThat(recorded.getContentType()).isEqualTo("application/json");
        assertThat(recorded.getEventData()).as("byte-stable payload").isEqualTo(canonical.getData());
        assertThat(recorded.getEventId().toString()).isEqualTo(event.getIdentifier());
        assertThat(new String(recorded.getUserMetadata(), StandardCharsets.UTF_8))
                .contains("\"$correlationId\":\"corr-tools\"", "\"$causationId\":\"cause-tools\"",
                        "\"actorId\":\"tester\"", "\"axon.aggregateType\":\"Case\"");
    }

    @Test
    void theServerKeepsOnlyTheLatestSnapshotsAndTheLatestIsRead() throws Exception {
        String caseId = newCaseId();
        engine.appendEvents(event(caseId, 0, "a"));
        for (long sequence = 0; sequence < 5; sequence++) {
            engine.storeSnapshot(snapshot(caseId, sequence, "after " + sequence));
        }
        String stream = ((KurrentDbEventStorageEngine) engine).snapshotStreamName(caseId);

        List<RecordedEvent> kept = connection.client().readStream(stream, ReadStreamOptions.get()).get().getEvents()
                .stream().map(ResolvedEvent::getOriginalEvent).toList();
        assertThat(kept).extracting(RecordedEvent::getRevision).as("$maxCount: the default 3").containsExactly(2L, 3L, 4L);
        assertThat(engine.readSnapshot(caseId).orElseThrow().getSequenceNumber()).isEqualTo(4);
    }

    @Test
    void tokensSurviveTheTokenStoresSerializer() {
        Serializer serializer = snapshotSerializer();
        KurrentDbTrackingToken token = new KurrentDbTrackingToken(1234, 1230);

        SerializedObject<byte[]> stored = serializer.serialize(token, byte[].class);
        Object read = serializer.deserialize(new SimpleSerializedObject<>(stored.getData(), byte[].class,
                new SimpleSerializedType(stored.getType().getName(), stored.getType().getRevision())));

        assertThat(read).isEqualTo(token);
        assertThat(new String(stored.getData(), StandardCharsets.UTF_8))
                .isEqualTo("{\"commitPosition\":1234,\"preparePosition\":1230}");
    }
}
