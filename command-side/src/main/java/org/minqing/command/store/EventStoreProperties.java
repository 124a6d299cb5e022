package org.minqing.command.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code minqing.event-store.*} settings shared by every engine.
 *
 * @param pollInterval how often the event store looks for events that another process appended
 *                     (default 100 ms): the projections' lag behind commands made elsewhere. Events
 *                     appended by this process reach its projections as soon as they commit.
 */
@ConfigurationProperties("minqing.event-store")
public record EventStoreProperties(Duration pollInterval) {

    public EventStoreProperties {
        pollInterval = pollInterval == null ? Duration.ofMillis(100) : pollInterval;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("minqing.event-store.poll-interval must be positive, was " + pollInterval);
        }
    }
}
