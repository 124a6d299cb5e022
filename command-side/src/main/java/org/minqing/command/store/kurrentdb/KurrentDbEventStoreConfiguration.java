package org.minqing.command.store.kurrentdb;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.Serializer;
import org.minqing.api.v1.EventMetadata;
import org.minqing.command.store.HashChainingEventStorageEngine;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The KurrentDB (EventStoreDB) engine, {@code minqing.event-store.engine=kurrentdb}: events and
 * snapshots in KurrentDB; tracking tokens, read models and the request ledger stay in the SQL
 * database ({@link org.minqing.command.store.EventStoreConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "minqing.event-store.engine", havingValue = "kurrentdb")
@EnableConfigurationProperties(KurrentDbProperties.class)
public class KurrentDbEventStoreConfiguration {

    /** Fails start-up with the server's address when it cannot be reached (unless verify-on-start is off). */
    @Bean(destroyMethod = "close")
    public KurrentDbConnection kurrentDbConnection(KurrentDbProperties properties) {
        KurrentDbConnection connection = new KurrentDbConnection(properties.connectionString(),
                properties.operationTimeout());
        if (properties.verifyOnStart()) {
            try {
                connection.verifyReachable();
            } catch (RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    /** With the aggregates' own snapshot filters: a snapshot of another {@code @Revision} is passed by, the case replayed. */
    @Bean
    public EventStorageEngine eventStorageEngine(KurrentDbConnection connection, KurrentDbProperties properties,
                                                 Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 org.axonframework.config.Configuration axon) {
        return new HashChainingEventStorageEngine(create(connection, properties, eventSerializer, serializer,
                axon.snapshotFilter()), eventSerializer);
    }

    /** The engine with Minqing's metadata conventions; also what the tests and benchmarks build. */
    public static KurrentDbEventStorageEngine create(KurrentDbConnection connection, KurrentDbProperties properties,
                                                     Serializer eventSerializer, Serializer snapshotSerializer,
                                                     SnapshotFilter snapshotFilter) {
        return new KurrentDbEventStorageEngine(connection, properties,
                new EventRecordCodec(eventSerializer, EventMetadata.CORRELATION_ID, EventMetadata.CAUSATION_ID, false),
                new EventRecordCodec(snapshotSerializer, EventMetadata.CORRELATION_ID, EventMetadata.CAUSATION_ID, true),
                snapshotFilter);
    }
}
