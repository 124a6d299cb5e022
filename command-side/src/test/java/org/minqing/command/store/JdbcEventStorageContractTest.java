package org.minqing.command.store;

import java.util.UUID;

import javax.sql.DataSource;

import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The contract on the JDBC engine with the application's schema and settings (each append in its
 * own transaction, as the application's unit of work provides): on H2 by default; with
 * {@code -Dminqing.test.database=postgresql}, on the local PostgreSQL, in schemas of its own that
 * are dropped afterwards.
 */
class JdbcEventStorageContractTest extends EventStorageContract {

    private static final String POSTGRES_URL = System.getProperty("minqing.test.postgres-url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final java.util.List<String> SCHEMAS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    protected EventStorageEngine createEngine(Serializer eventSerializer, Serializer snapshotSerializer,
                                              SnapshotFilter snapshotFilter) {
        DataSource dataSource = dataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(snapshotSerializer)
                .snapshotFilter(snapshotFilter)
                .eventSerializer(eventSerializer)
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(new SpringTransactionManager(new DataSourceTransactionManager(dataSource)))
                .persistenceExceptionResolver(new UniqueViolationResolver())
                .schema(new JdbcEventStoreConfiguration().eventSchema())
                .build();
    }

    static DataSource dataSource() {
        String name = "contract_" + UUID.randomUUID().toString().replace("-", "");
        if ("postgresql".equals(System.getProperty("minqing.test.database"))) {
            new JdbcTemplate(new DriverManagerDataSource(POSTGRES_URL, "postgres", "")).execute("CREATE SCHEMA " + name);
            SCHEMAS.add(name);
            return new DriverManagerDataSource(POSTGRES_URL + "?currentSchema=" + name, "postgres", "");
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        h2.setUser("sa");
        return h2;
    }

    @AfterAll
    static void dropSchemas() {
        if (!SCHEMAS.isEmpty()) {
            JdbcTemplate admin = new JdbcTemplate(new DriverManagerDataSource(POSTGRES_URL, "postgres", ""));
            SCHEMAS.forEach(schema -> admin.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
            SCHEMAS.clear();
        }
    }
}
