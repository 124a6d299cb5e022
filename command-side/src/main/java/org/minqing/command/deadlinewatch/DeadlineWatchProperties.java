package org.minqing.command.deadlinewatch;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the deadline watch (command role).
 *
 * @param enabled  whether this process fires due deadlines (default true); several processes may,
 *                 since a case records each breach once whoever fires it
 * @param interval how often due timers are looked for (default 5 s): a breach is recorded at most
 *                 this long after its deadline, and carries the deadline itself
 */
@ConfigurationProperties("minqing.deadline-watch")
public record DeadlineWatchProperties(Boolean enabled, Duration interval) {

    public DeadlineWatchProperties {
        enabled = enabled == null || enabled;
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("minqing.deadline-watch.interval must be positive, was " + interval);
        }
    }
}
