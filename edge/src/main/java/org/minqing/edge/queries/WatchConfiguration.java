package org.minqing.edge.queries;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.minqing.query.QueryProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The live streams of the query role: their poller and their bound per caller. */
@Configuration(proxyBeanMethods = false)
public class WatchConfiguration {

    public static final String WATCH_SCHEDULER = "timelineWatchScheduler";

    /** One bound for both services' live streams, per caller; {@code minqing.watch.streams}: how many are open. */
    @Bean
    WatchQuota watchQuota(QueryProperties properties, MeterRegistry meters) {
        WatchQuota quota = new WatchQuota(properties.maxWatchesPerCaller());
        Gauge.builder("minqing.watch.streams", quota, WatchQuota::open)
                .description("live Watch... streams open, all callers").register(meters);
        return quota;
    }

    /** Shared by all watch streams: each is a periodic task, none holds a thread. */
    @Bean(name = WATCH_SCHEDULER, destroyMethod = "shutdownNow")
    ScheduledExecutorService timelineWatchScheduler(QueryProperties properties) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newScheduledThreadPool(properties.watchThreads(), runnable -> {
            Thread thread = new Thread(runnable, "timeline-watch-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
