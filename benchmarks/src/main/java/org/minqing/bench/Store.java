package org.minqing.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.Serializer;
import org.flywaydb.core.Flyway;
import org.minqing.command.store.EventStoreConfiguration;
import org.minqing.command.store.HashChainingEventStorageEngine;
import org.minqing.command.store.JdbcEventStoreConfiguration;
import org.minqing.command.store.kurrentdb.KurrentDbConnection;
import org.minqing.command.store.kurrentdb.KurrentDbEventStoreConfiguration;
import org.minqing.command.store.kurrentdb.KurrentDbProperties;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The server's store opened in this process: the same H2 file layout, the same Flyway migrations,
 * and the engine built by the server's own configuration classes (same schema, serializers,
 * connection provider and Spring transaction manager) — or, with {@code --engine=kurrentdb}, the
 * server's KurrentDB engine against the harness's test server. Used for the raw-append ceiling and
 * to bulk-load data while the server is stopped (an H2 file has one process at a time).
 */
final class Store implements AutoCloseable {

    final HikariDataSource dataSource;
    final TransactionManager transactions;
    final EventStorageEngine engine;
    private final AutoCloseable engineConnection;

    private Store(HikariDataSource dataSource, TransactionManager transactions, EventStorageEngine engine,
                  AutoCloseable engineConnection) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.engine = engine;
        this.engineConnection = engineConnection;
    }

    /** The store the server uses with these options: H2 alone, or KurrentDB (test server) for events. */
    static Store open(Path dataDir, Options options) {
        if (!options.kurrentDb()) {
            return open(dataDir);
        }
        HikariDataSource dataSource = sqlDatabase(dataDir);
        EventStoreConfiguration common = new EventStoreConfiguration();
        Serializer serializer = common.serializer();
        KurrentDbConnection connection = new KurrentDbConnection(options.kurrentDbConnectionString(),
                Duration.ofSeconds(30));
        Serializer eventSerializer = common.eventSerializer(serializer);
        EventStorageEngine engine = new HashChainingEventStorageEngine(KurrentDbEventStoreConfiguration.create(connection,
                KurrentDbProperties.of(options.kurrentDbConnectionString()), eventSerializer, serializer,
                SnapshotFilter.allowAll()), eventSerializer);
        // KurrentDB appends are atomic per stream on their own; there is no SQL transaction around them.
        return new Store(dataSource, NoTransactionManager.INSTANCE, engine, connection);
    }

    /** The embedded store: events in the H2 file. */
    static Store open(Path dataDir) {
        HikariDataSource dataSource = sqlDatabase(dataDir);
        EventStoreConfiguration common = new EventStoreConfiguration();
        JdbcEventStoreConfiguration jdbc = new JdbcEventStoreConfiguration();
        Serializer serializer = common.serializer();
        TransactionManager transactions = common.axonTransactionManager(new DataSourceTransactionManager(dataSource));
        EventStorageEngine engine = JdbcEventStoreConfiguration.engine(serializer, common.eventSerializer(serializer),
                common.axonConnectionProvider(dataSource), transactions, jdbc.eventSchema(), SnapshotFilter.allowAll());
        return new Store(dataSource, transactions, engine, () -> { });
    }

    private static HikariDataSource sqlDatabase(Path dataDir) {
        HikariDataSource dataSource = new HikariDataSource();
        // The server's URL (application.yml); Hikari with its defaults, as in the server.
        dataSource.setJdbcUrl("jdbc:h2:file:" + dataDir.toAbsolutePath() + "/minqing;LOCK_TIMEOUT=10000");
        dataSource.setUsername("sa");
        dataSource.setPassword("");
        // A store the server primed holds migrations of modules the harness does not carry (the edge's).
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .ignoreMigrationPatterns("*:missing", "*:future").load().migrate();
        return dataSource;
    }

    /** One transaction, as the server's command handling commits a command's events. */
    void append(List<? extends EventMessage<?>> events) {
        transactions.executeInTransaction(() -> engine.appendEvents(events));
    }

    @Override
    public void close() throws Exception {
        engineConnection.close();
        dataSource.close();
    }
}
