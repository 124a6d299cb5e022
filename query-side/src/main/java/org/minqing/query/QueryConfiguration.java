package org.minqing.query;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.minqing.query.supervision.SupervisionProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the query role needs beside the read models: settings, a clock, the watch poller. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "minqing.roles.query", matchIfMissing = true)
@EnableConfigurationProperties({PrivacyProperties.class, QueryProperties.class, SupervisionProperties.class})
public class QueryConfiguration {

    public static final String WATCH_SCHEDULER = "timelineWatchScheduler";

    /** Overdue flags are computed against this clock; tests and simulations provide their own. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** One bound for both services' live streams, per caller. */
    @Bean
    WatchQuota watchQuota(QueryProperties properties) {
        return new WatchQuota(properties.maxWatchesPerCaller());
    }

    /** Shared by all timeline watch streams: each is a periodic task, none holds a thread. */
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
