package org.minqing.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class ProjectionsHealthTest {

    private static Health healthOf(long maxBehind, ProjectionLag.Processor... processors) {
        ProjectionLag lag = new ProjectionLag(null, null) {
            @Override
            public List<Processor> now() {
                return List.of(processors);
            }
        };
        return new ProjectionsHealth(lag, maxBehind).health();
    }

    private static ProjectionLag.Processor processor(String name, int segments, long behind, boolean caughtUp,
                                                     boolean failed, boolean running) {
        return new ProjectionLag.Processor(name, segments, behind, caughtUp, failed, running);
    }

    @Test
    void readyWhenEveryProcessorHasCaughtUpWithinTheBound() {
        Health health = healthOf(10, processor("case-summary", 1, 10, true, false, true));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("case-summary", Map.of("state", "ready", "behind", 10L));
    }

    @Test
    void aProcessorWhoseSegmentsAnotherProcessHoldsIsOnStandbyAndReady() {
        Health health = healthOf(10, processor("case-summary", 0, 0, true, false, true),
                processor("supervision", 1, 0, true, false, true));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("case-summary", Map.of("state", "standby", "behind", 0L));
    }

    @Test
    void notReadyWhileOneIsBehindCatchingUpFailedOrStopped() {
        for (ProjectionLag.Processor unready : List.of(processor("p", 1, 11, true, false, true),
                processor("p", 1, 0, false, false, true), processor("p", 1, 0, true, true, true),
                processor("p", 1, 0, true, false, false))) {
            assertThat(healthOf(10, processor("ok", 1, 0, true, false, true), unready).getStatus())
                    .as(unready.toString()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void notReadyWhenTheHeadOfTheLogCannotBeRead() {
        ProjectionLag unreadable = new ProjectionLag(null, null) {
            @Override
            public List<Processor> now() {
                throw new IllegalStateException("Could not open JDBC Connection for transaction");
            }
        };
        Health health = new ProjectionsHealth(unreadable, 10).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error").toString()).contains("Could not open JDBC Connection");
    }
}
