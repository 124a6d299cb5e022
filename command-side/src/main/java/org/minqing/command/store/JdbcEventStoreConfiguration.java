package org.minqing.command.store;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default engine ({@code minqing.event-store.engine=jdbc}): Axon's JDBC storage engine on the
 * application's database — an H2 file under {@code minqing.data-dir} unless configured otherwise —
 * in the same transactions as the idempotency records.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "minqing.event-store.engine", havingValue = "jdbc", matchIfMissing = true)
public class JdbcEventStoreConfiguration {

    /** Table and column names as created by db/migration/V1__event_store.sql. */
    @Bean
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /** With the aggregates' own snapshot filters: a snapshot of another {@code @Revision} is passed by, the case replayed. */
    @Bean
    public EventStorageEngine eventStorageEngine(Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager, EventSchema schema,
                                                 org.axonframework.config.Configuration axon) {
        return engine(serializer, eventSerializer, connectionProvider, transactionManager, schema, axon.snapshotFilter());
    }

    /** The engine with Minqing's schema and chain; also what the benchmarks build. */
    public static EventStorageEngine engine(Serializer serializer, Serializer eventSerializer,
                                            ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                            EventSchema schema, SnapshotFilter snapshotFilter) {
        return new HashChainingEventStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .snapshotFilter(snapshotFilter)
                .eventSerializer(eventSerializer)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .persistenceExceptionResolver(new UniqueViolationResolver())
                .schema(schema)
                .build(), eventSerializer);
    }
}
