package org.minqing.server.operations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of this process's projections (health component {@code projections}, in the
 * readiness group): DOWN while a processor has failed or is not running, has not yet caught up
 * with the head since it started (a rebuild, a restart after a long stop), or is more than
 * {@code minqing.operations.readiness-max-behind} positions behind it. A processor whose segments
 * another process holds (several projection processes on PostgreSQL) is on standby here, which is
 * ready. A supervisor's reads from a process that is not ready would be stale; the load balancer
 * sends them elsewhere.
 */
public class ProjectionsHealth implements HealthIndicator {

    private final ProjectionLag lag;
    private final long maxBehind;

    public ProjectionsHealth(ProjectionLag lag, long maxBehind) {
        this.lag = lag;
        this.maxBehind = maxBehind;
    }

    @Override
    public Health health() {
        List<ProjectionLag.Processor> processors;
        try {
            processors = lag.now();
        } catch (RuntimeException e) { // the store is away: how far behind is unknown, and reads would fail anyway
            return Health.down().withDetail("error", "the head of the event log cannot be read: " + e.getMessage())
                    .build();
        }
        boolean ready = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (ProjectionLag.Processor processor : processors) {
            String state = processor.failed() ? "failed" : !processor.running() ? "stopped"
                    : processor.segments() == 0 ? "standby"
                    : !processor.caughtUp() ? "catching up" : processor.behind() > maxBehind ? "behind" : "ready";
            ready &= state.equals("ready") || state.equals("standby");
            details.put(processor.name(), Map.of("state", state, "behind", processor.behind()));
        }
        return (ready ? Health.up() : Health.down()).withDetails(details).build();
    }
}
