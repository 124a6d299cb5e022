package org.minqing.command.store;

import java.util.Map;

import javax.sql.DataSource;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.minqing.command.store.chain.ChainedEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Tampering with SQL on the JDBC engine's table (H2, or PostgreSQL in the PostgreSQL pass). */
class JdbcChainTamperTest extends ChainTamperContract {

    private static final String WHERE = " WHERE aggregate_identifier = ? AND sequence_number = ?";
    private JdbcTemplate sql;

    @Override
    protected EventStorageEngine createEngine(Serializer eventSerializer, Serializer snapshotSerializer) {
        DataSource dataSource = JdbcEventStorageContractTest.dataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        sql = new JdbcTemplate(dataSource);
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(snapshotSerializer)
                .eventSerializer(eventSerializer)
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(new SpringTransactionManager(new DataSourceTransactionManager(dataSource)))
                .persistenceExceptionResolver(new UniqueViolationResolver())
                .schema(new JdbcEventStoreConfiguration().eventSchema())
                .build();
    }

    @AfterAll
    static void dropSchemas() {
        JdbcEventStorageContractTest.dropSchemas();
    }

    @Override
    protected void replacePayload(String caseId, long sequence, byte[] payload) {
        sql.update("UPDATE domain_event_entry SET payload = ?" + WHERE, payload, caseId, sequence);
    }

    @Override
    protected void delete(String caseId, long sequence) {
        sql.update("DELETE FROM domain_event_entry" + WHERE, caseId, sequence);
    }

    @Override
    protected void swap(String caseId, long sequence) {
        sql.update("UPDATE domain_event_entry SET sequence_number = -1" + WHERE, caseId, sequence);
        sql.update("UPDATE domain_event_entry SET sequence_number = ?" + WHERE, sequence, caseId, sequence + 1);
        sql.update("UPDATE domain_event_entry SET sequence_number = ?" + WHERE, sequence + 1, caseId, -1);
    }

    @Override
    protected void insert(ChainedEvent forged, Map<String, String> metadata) {
        String shift = "UPDATE domain_event_entry SET sequence_number = sequence_number + ?"
                + " WHERE aggregate_identifier = ? AND sequence_number >= ?";
        sql.update(shift, 1_000_000, forged.caseId(), forged.sequence());
        sql.update(shift, -999_999, forged.caseId(), 1_000_000);
        sql.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,"
                        + " time_stamp, payload_type, payload, meta_data) VALUES (?, ?, ?, 'Case', ?, ?, ?, ?)",
                forged.eventId(), forged.caseId(), forged.sequence(), forged.timestamp().toString(), forged.type(),
                forged.payload(), snapshotSerializer.serialize(MetaData.from(metadata), byte[].class).getData());
    }
}
