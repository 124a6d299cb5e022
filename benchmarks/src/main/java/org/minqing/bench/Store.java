package org.minqing.bench;

import java.nio.file.Path;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.flywaydb.core.Flyway;
import org.minqing.command.store.EventStoreConfiguration;
import org.minqing.command.store.JdbcEventStoreConfiguration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The server's embedded store opened in this process: the same H2 file layout, the same Flyway
 * migrations, and the engine built by the server's own configuration classes (same schema,
 * serializers, connection provider and Spring transaction manager). Used for the raw-append ceiling
 * and to bulk-load data while the server is stopped (an H2 file has one process at a time).
 */
final class Store implements AutoCloseable {

    final HikariDataSource dataSource;
    final TransactionManager transactions;
    final EventStorageEngine engine;

    private Store(HikariDataSource dataSource, TransactionManager transactions, EventStorageEngine engine) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.engine = engine;
    }

    static Store open(Path dataDir) {
        HikariDataSource dataSource = new HikariDataSource();
        // The server's URL (application.yml); Hikari with its defaults, as in the server.
        dataSource.setJdbcUrl("jdbc:h2:file:" + dataDir.toAbsolutePath() + "/minqing;LOCK_TIMEOUT=10000");
        dataSource.setUsername("sa");
        dataSource.setPassword("");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        EventStoreConfiguration common = new EventStoreConfiguration();
        JdbcEventStoreConfiguration jdbc = new JdbcEventStoreConfiguration();
        Serializer serializer = common.serializer();
        TransactionManager transactions = common.axonTransactionManager(new DataSourceTransactionManager(dataSource));
        EventStorageEngine engine = jdbc.eventStorageEngine(serializer, common.eventSerializer(serializer),
                common.axonConnectionProvider(dataSource), transactions, jdbc.eventSchema());
        return new Store(dataSource, transactions, engine);
    }

    /** One transaction, as the server's command handling commits a command's events. */
    void append(List<? extends EventMessage<?>> events) {
        transactions.executeInTransaction(() -> engine.appendEvents(events));
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
