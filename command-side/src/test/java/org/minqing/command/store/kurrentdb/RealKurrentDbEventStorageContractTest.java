package org.minqing.command.store.kurrentdb;

import java.time.Duration;

import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.minqing.command.store.EventStorageContract;

/**
 * The same contract against a real KurrentDB/EventStoreDB server, for anyone who has one:
 * {@code KURRENTDB_CONNECTION_STRING=kurrentdb://admin:changeit@localhost:2113?tls=false ./mvnw verify}.
 * Skipped (and reported as skipped) otherwise. Every test uses fresh case ids, so a shared,
 * non-empty server is fine; the streams it writes stay behind.
 */
@EnabledIfEnvironmentVariable(named = "KURRENTDB_CONNECTION_STRING", matches = ".+")
class RealKurrentDbEventStorageContractTest extends EventStorageContract {

    KurrentDbConnection connection;

    @Override
    protected EventStorageEngine createEngine(Serializer eventSerializer, Serializer snapshotSerializer,
                                              SnapshotFilter snapshotFilter) {
        KurrentDbProperties properties = KurrentDbProperties.of(System.getenv("KURRENTDB_CONNECTION_STRING"))
                .withOperationTimeout(Duration.ofSeconds(10));
        connection = new KurrentDbConnection(properties.connectionString(), properties.operationTimeout());
        connection.verifyReachable();
        return KurrentDbEventStoreConfiguration.create(connection, properties, eventSerializer, snapshotSerializer,
                snapshotFilter);
    }

    @AfterEach
    void closeConnection() {
        connection.close();
    }
}
