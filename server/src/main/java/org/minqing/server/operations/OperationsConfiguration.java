package org.minqing.server.operations;

import java.nio.file.Path;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.tracing.SpanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * What operators watch beyond Spring Boot's and Axon's own meters and health: how far the
 * projections of this process are behind the log, as metrics and as part of readiness; and Axon's
 * spans in the traces of the calls that cause them; and the embedded store's online backup.
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    /**
     * Runs the {@code @Scheduled} work (the Merkle log's rounds, request-record expiry, the log
     * check). Spring Boot's own scheduler backs off because the application has executor beans of
     * its own; without this one Spring would fall back to an unmanaged thread that runs on while the
     * database closes. A lifecycle bean: when the context closes it takes no new rounds and its stop
     * phase waits for the round in progress, so the database (closed later, with the beans) is never
     * taken from under a round. Not "wait for tasks on shutdown": that defers the wait to the
     * scheduler's own destruction, which comes after the data source's.
     */
    @Bean
    ThreadPoolTaskScheduler taskScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("scheduled-");
        return scheduler;
    }

    /** Replaces Axon's no-op span factory; Axon's tracing auto-configuration hands it to every bus and processor. */
    @Bean
    SpanFactory spanFactory(OpenTelemetry openTelemetry) {
        return new OpenTelemetrySpanFactory(openTelemetry);
    }

    @Bean
    ProjectionLag projectionLag(EventProcessingConfiguration processing, EventStore eventStore) {
        return new ProjectionLag(processing, eventStore);
    }

    /** Health component {@code projections}: in the readiness group (application.yml). */
    @Bean
    ProjectionsHealth projectionsHealthIndicator(ProjectionLag lag,
                                                 @Value("${minqing.operations.readiness-max-behind:1000}") long maxBehind) {
        return new ProjectionsHealth(lag, maxBehind);
    }

    @Bean
    StoreBackup storeBackup(JdbcTemplate jdbc,
                            @Value("${minqing.backup.directory:${minqing.data-dir}/backups}") Path directory) {
        return new StoreBackup(jdbc, directory, Clock.systemUTC()); // names files by wall time, whatever the rules' clock
    }

    @Bean
    ProjectionMetrics projectionMetrics(ProjectionLag lag, MeterRegistry meters) {
        return new ProjectionMetrics(lag, meters);
    }
}
