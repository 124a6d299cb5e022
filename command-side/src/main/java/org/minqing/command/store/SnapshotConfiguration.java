package org.minqing.command.store;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When a case's snapshot is taken: after every {@code minqing.snapshots.event-count} events
 * (default 100; 0 turns snapshots off). Loading a case then reads its latest snapshot and only the
 * events after it — on either engine, each of which stores snapshots apart from the events.
 * Most cases have a few dozen events; long-running, much-urged cases are what this is for.
 */
@Configuration(proxyBeanMethods = false)
public class SnapshotConfiguration {

    /** Named in {@code @Aggregate(snapshotTriggerDefinition = ...)} on the Case aggregate. */
    @Bean
    public SnapshotTriggerDefinition caseSnapshotTrigger(Snapshotter snapshotter,
                                                         @Value("${minqing.snapshots.event-count:100}") int eventCount) {
        if (eventCount < 0) {
            throw new IllegalStateException("minqing.snapshots.event-count must be 0 (off) or positive, was " + eventCount);
        }
        return eventCount == 0
                ? NoSnapshotTriggerDefinition.INSTANCE
                : new EventCountSnapshotTriggerDefinition(snapshotter, eventCount);
    }
}
