package org.minqing.server.operations;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.minqing.command.audit.merkle.LogCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The background check of the whole stored log ({@link LogCheck}), every
 * {@code minqing.checkpoints.log-check-interval}: health component {@code log} (DOWN with what was
 * found, not part of readiness — a damaged store is for an auditor, not a load balancer), the
 * meter {@code minqing.audit.log-problems}, and an error line when anything is found.
 */
public class LogCheckHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(LogCheckHealth.class);

    private final LogCheck check;
    private final AtomicReference<LogCheck.Result> latest = new AtomicReference<>();

    public LogCheckHealth(LogCheck check, MeterRegistry meters) {
        this.check = check;
        Gauge.builder("minqing.audit.log-problems", latest, l -> l.get() == null ? 0 : l.get().problems())
                .description("problems the latest walk of the stored log found (0: every event as recorded)")
                .register(meters);
    }

    @Scheduled(initialDelayString = "${minqing.checkpoints.log-check-delay:PT1M}",
            fixedDelayString = "${minqing.checkpoints.log-check-interval:PT1H}")
    public void run() {
        try {
            LogCheck.Result result = check.run();
            latest.set(result);
            if (result.problems() > 0) {
                log.error("the stored log does not match what was recorded: {} problem(s), first {}", result.problems(),
                        result.findings().get(0));
            }
        } catch (RuntimeException e) {
            log.warn("the log check could not finish ({}); it runs again next round", e.getMessage());
        }
    }

    @Override
    public Health health() {
        LogCheck.Result result = latest.get();
        if (result == null) {
            return Health.unknown().withDetail("state", "not checked yet").build();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("events", result.events());
        details.put("recorded", result.recorded());
        details.put("problems", result.problems());
        details.put("checkedAt", result.finishedAt().toString());
        if (result.problems() > 0) {
            details.put("findings", result.findings().stream().limit(10).map(f -> (f.caseId() == null ? "" : "cases/"
                    + f.caseId() + " revision " + (f.sequence() + 1) + ": ") + f.problem()).toList());
        }
        return (result.problems() == 0 ? Health.up() : Health.down()).withDetails(details).build();
    }
}
