package org.minqing.command.handling;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.common.lock.DeadlockException;
import org.minqing.command.store.GroupCommit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * How commands are handled on the database in use. Axon's command bus runs each command in a unit
 * of work that owns its transaction; the {@link RequestLedger} runs inside it; the gateway retries
 * what another writer made fail; the case cache keeps aggregates in memory between commands.
 *
 * <table>
 * <caption>per database</caption>
 * <tr><th></th><th>embedded H2 (one process)</th><th>PostgreSQL (several processes may write)</th></tr>
 * <tr><td>writers of one case</td><td>Axon's aggregate lock</td><td>advisory lock, then Axon's</td></tr>
 * <tr><td>transactions</td><td>one per batch of commands ({@link BatchingCommandBus})</td><td>one per command</td></tr>
 * <tr><td>durable acknowledgement</td><td>{@link GroupCommit}</td><td>the server's commit</td></tr>
 * <tr><td>case cache</td><td>weak references</td><td>none: another process may have changed the case</td></tr>
 * </table>
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({RequestRetention.Properties.class, BatchingCommandBus.Properties.class})
public class CommandHandlingConfiguration {

    /**
     * Lanes on the KurrentDB engine, whose batches hold one command: a command there waits for
     * its append's round trip to the server, so many run side by side (measured: with two lanes,
     * half the rate at 64 in flight).
     */
    static final int KURRENTDB_LANES = 32;

    /** Attempts of a command that lost a race with another writer, the first included. */
    static final int ATTEMPTS = 5;

    /** A handler interceptor bean: Axon's auto-configuration registers it on the command bus. */
    @Bean
    public RequestLedger requestLedger(JdbcTemplate jdbc, EventStore eventStore, Database database, Clock clock,
                                       @Value("${minqing.event-store.engine:jdbc}") String engine) {
        return new RequestLedger(jdbc, eventStore, new DatabaseCaseLock(jdbc, database.postgres()), clock,
                "kurrentdb".equals(engine));
    }

    /**
     * The command bus (in place of Axon's auto-configured one, as Axon configures it): on the
     * embedded store the {@link BatchingCommandBus}, whose batches share a transaction and whose
     * answers wait for the group's sync; on PostgreSQL Axon's {@link SimpleCommandBus}, a
     * transaction per command, which the server syncs. On the KurrentDB engine the events and the
     * request records are in two stores, and a batch's failure could leave another case's events
     * appended without their record: its batches hold one command.
     *
     * @param groupCommit {@code minqing.event-store.group-commit}: false only to measure what the
     *                    sync costs — H2 then acknowledges commands written but not synced, which
     *                    a power loss can take
     */
    @Bean
    public SimpleCommandBus commandBus(TransactionManager transactionManager, PlatformTransactionManager transactions,
                                       org.axonframework.config.Configuration axon,
                                       Database database, JdbcTemplate jdbc, MeterRegistry meters,
                                       BatchingCommandBus.Properties batching,
                                       @Value("${minqing.event-store.engine:jdbc}") String engine,
                                       @Value("${minqing.event-store.group-commit:true}") boolean groupCommit) {
        MessageMonitor<? super CommandMessage<?>> monitor = axon.messageMonitor(CommandBus.class, "commandBus");
        CommandBusSpanFactory spans = axon.getComponent(CommandBusSpanFactory.class);
        boolean kurrentDb = "kurrentdb".equals(engine);
        SimpleCommandBus bus = database.postgres()
                ? SimpleCommandBus.builder().transactionManager(transactionManager).messageMonitor(monitor)
                        .spanFactory(spans).build()
                : new BatchingCommandBus(transactions, new GroupCommit(jdbc, groupCommit, meters), monitor, spans,
                        axon.getComponent(SpanFactory.class), meters,
                        kurrentDb ? KURRENTDB_LANES : batching.lanes(), kurrentDb ? 1 : batching.batchSize());
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return bus;
    }

    @Bean
    public RequestRetention requestRetention(JdbcTemplate jdbc, Clock clock, RequestRetention.Properties properties,
                                             MeterRegistry meters) {
        return new RequestRetention(jdbc, clock, properties, meters);
    }

    /**
     * Retries, on the history as it now is, a command whose append lost to another writer's (or
     * whose case another report created first, or whose request ran concurrently and was recorded
     * first, or that met another lane's merge in Axon's deadlock detection): 10, 20, 40, 80 ms later. Everything else (refusals, bad requests) is final.
     */
    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService commandRetryExecutor() {
        return Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    public CommandGateway commandGateway(CommandBus commandBus, ScheduledExecutorService commandRetryExecutor) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(ExponentialBackOffIntervalRetryScheduler.builder()
                        .retryExecutor(commandRetryExecutor)
                        .backoffFactor(10)
                        .maxRetryCount(ATTEMPTS - 1)
                        .nonTransientFailurePredicate(failure -> !lostARace(failure))
                        .build())
                .build();
    }

    /**
     * The clock of the rules (deadlines, reopen window, times of steps taken now), injected into
     * the aggregate's handlers; events are stamped from it too ({@link EventClock}). Tests and
     * simulations provide their own.
     */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventClock eventClock(Clock clock) {
        return new EventClock(clock);
    }

    /** Named in {@code @Aggregate(cache = ...)} on the Case aggregate. */
    @Bean
    public Cache caseCache(Database database) {
        return database.postgres() ? NoCache.INSTANCE : new WeakReferenceCache();
    }

    /** Which database the application's data source is, asked once. */
    @Bean
    Database database(JdbcTemplate jdbc) {
        return new Database(jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName()));
    }

    record Database(String product) {

        boolean h2() {
            return "H2".equals(product);
        }

        boolean postgres() {
            return "PostgreSQL".equals(product);
        }
    }

    private static boolean lostARace(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConcurrencyException || cause instanceof AggregateStreamCreationException
                    || cause instanceof DuplicateKeyException || cause instanceof DeadlockException) {
                return true;
            }
        }
        return false;
    }
}
