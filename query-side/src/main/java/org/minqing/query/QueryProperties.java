package org.minqing.query;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the query role.
 *
 * @param watchPollInterval how often a WatchTimelineEntries stream looks for new entries
 *                          (default 200 ms); the projections may run in another process, so
 *                          the table is polled rather than notified
 * @param watchThreads      threads shared by all watch streams for polling (default 2)
 * @param maxWatchesPerCaller live streams (timeline and worklist watches) one API key may hold
 *                          open at once (default 16); one more is RESOURCE_EXHAUSTED
 */
@ConfigurationProperties("minqing.query")
public record QueryProperties(Duration watchPollInterval, Integer watchThreads, Integer maxWatchesPerCaller) {

    public QueryProperties {
        watchPollInterval = watchPollInterval == null ? Duration.ofMillis(200) : watchPollInterval;
        watchThreads = watchThreads == null ? 2 : watchThreads;
        maxWatchesPerCaller = maxWatchesPerCaller == null ? 16 : maxWatchesPerCaller;
        if (maxWatchesPerCaller < 1) {
            throw new IllegalArgumentException("minqing.query.max-watches-per-caller must be at least 1");
        }
        if (watchPollInterval.isNegative() || watchPollInterval.isZero()) {
            throw new IllegalArgumentException("minqing.query.watch-poll-interval must be positive");
        }
        if (watchThreads < 1) {
            throw new IllegalArgumentException("minqing.query.watch-threads must be at least 1");
        }
    }
}
