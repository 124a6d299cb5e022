package org.minqing.command.handling;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.tracing.SpanFactory;
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

/**
 * How commands are handled on the database in use. Axon's command bus runs each command in a unit
 * of work that owns its transaction; the {@link RequestLedger} runs inside it; the gateway retries
 * what another writer made fail; the case cache keeps aggregates in memory between commands.
 *
 * <table>
 * <caption>per database</caption>
 * <tr><th></th><th>embedded H2 (one process)</th><th>PostgreSQL (several processes may write)</th></tr>
 * <tr><td>writers of one case</td><td>Axon's aggregate lock</td><td>advisory lock, then Axon's</td></tr>
 * <tr><td>durable acknowledgement</td><td>{@link GroupCommit}</td><td>the server's commit</td></tr>
 * <tr><td>case cache</td><td>weak references</td><td>none: another process may have changed the case</td></tr>
 * </table>
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(RequestRetention.Properties.class)
public class CommandHandlingConfiguration {

    /** Attempts of a command that lost a race with another writer, the first included. */
    static final int ATTEMPTS = 5;

    /**
     * A handler interceptor bean: Axon's auto-configuration registers it on the command bus.
     *
     * @param groupCommit {@code minqing.event-store.group-commit}: false only to measure what the
     *                    sync costs — H2 then acknowledges commands written but not synced, which
     *                    a power loss can take (and, with H2's default write delay, a kill too)
     */
    @Bean
    public RequestLedger requestLedger(JdbcTemplate jdbc, EventStore eventStore, Database database,
                                       @Value("${minqing.event-store.group-commit:true}") boolean groupCommit,
                                       SpanFactory spans, Clock clock, MeterRegistry meters) {
        return new RequestLedger(jdbc, eventStore, new GroupCommit(jdbc, groupCommit && database.h2(), meters),
                new DatabaseCaseLock(jdbc, database.postgres()), spans, clock);
    }

    @Bean
    public RequestRetention requestRetention(JdbcTemplate jdbc, Clock clock, RequestRetention.Properties properties,
                                             MeterRegistry meters) {
        return new RequestRetention(jdbc, clock, properties, meters);
    }

    /**
     * Retries, on the history as it now is, a command whose append lost to another writer's (or
     * whose case another report created first, or whose request ran concurrently and was recorded
     * first): 10, 20, 40, 80 ms later. Everything else (refusals, bad requests) is final.
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
                    || cause instanceof DuplicateKeyException) {
                return true;
            }
        }
        return false;
    }
}
