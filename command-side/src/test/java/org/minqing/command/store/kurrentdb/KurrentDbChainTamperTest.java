package org.minqing.command.store.kurrentdb;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.minqing.command.store.chain.ChainedEvent;
import org.minqing.command.store.ChainTamperContract;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;
import tools.jackson.databind.json.JsonMapper;

/** Tampering with the KurrentDB engine's streams through the test server's storage (revisions renumbered). */
class KurrentDbChainTamperTest extends ChainTamperContract {

    static KurrentDbTestServer server;
    KurrentDbConnection connection;

    @BeforeAll
    static void startServer() {
        server = KurrentDbTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected EventStorageEngine createEngine(Serializer eventSerializer, Serializer snapshotSerializer) {
        KurrentDbProperties properties = KurrentDbProperties.of(server.connectionString())
                .withOperationTimeout(Duration.ofSeconds(5));
        connection = new KurrentDbConnection(properties.connectionString(), properties.operationTimeout());
        return KurrentDbEventStoreConfiguration.create(connection, properties, eventSerializer, snapshotSerializer,
                SnapshotFilter.allowAll());
    }

    @AfterEach
    void closeConnection() {
        connection.close();
    }

    @Override
    protected void replacePayload(String caseId, long sequence, byte[] payload) {
        server.tamperReplaceData("case-" + caseId, sequence, payload);
    }

    @Override
    protected void delete(String caseId, long sequence) {
        server.tamperRemove("case-" + caseId, sequence);
    }

    @Override
    protected void swap(String caseId, long sequence) {
        server.tamperSwap("case-" + caseId, sequence);
    }

    @Override
    protected void insert(ChainedEvent forged, Map<String, String> metadata) {
        Map<String, Object> stored = new TreeMap<>(metadata);
        stored.put(EventRecordCodec.AGGREGATE_TYPE, "Case");
        stored.put(EventRecordCodec.TIMESTAMP, forged.timestamp().toString());
        server.tamperInsert("case-" + forged.caseId(), forged.sequence(), UUID.fromString(forged.eventId()),
                forged.type(), forged.payload(), JsonMapper.builder().build().writeValueAsBytes(stored));
    }
}
