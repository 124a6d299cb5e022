package org.minqing.command.deadlinewatch;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.minqing.api.v1.DeadlineKind;
import org.minqing.command.handling.SystemActor;
import org.minqing.command.cases.CaseCommands.RecordDeadlineBreach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fires due deadlines: every interval, each timer whose deadline has passed is sent to its case as
 * {@link RecordDeadlineBreach}, then removed. The timers are rows, so they survive restarts; the
 * case records a breach at most once per deadline, so a timer fired twice (a crash between the
 * command and the delete, two processes watching) still gives one breach.
 *
 * <p>"Now" is Axon's event clock, the one the case checks the deadline against and stamps events
 * with, so the watch never fires a timer that the case would find not yet due.
 *
 * <p>Counted in {@code minqing.deadline-watch.rounds} (rounds finished, whatever they found),
 * {@code .breaches} (deadlines fired) and {@code .failures} (deadlines or rounds that failed and are
 * retried next round).
 */
@EnableConfigurationProperties(DeadlineWatchProperties.class)
public class DeadlineWatch implements SmartLifecycle {

    /** The audit metadata of breaches: the system, not a person, noticed them. */
    public static final String ACTOR = "deadline-watch";

    private static final Logger log = LoggerFactory.getLogger(DeadlineWatch.class);
    private static final int BATCH = 100;

    private final Clock clock;
    private final JdbcTemplate jdbc;
    private final CommandGateway commands;
    private final DeadlineWatchProperties properties;
    private final Counter rounds;
    private final Counter breaches;
    private final Counter failures;
    private ScheduledExecutorService scheduler;

    public DeadlineWatch(JdbcTemplate jdbc, CommandGateway commands, DeadlineWatchProperties properties,
                         MeterRegistry meters, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.commands = commands;
        this.properties = properties;
        this.rounds = meters.counter("minqing.deadline-watch.rounds");
        this.breaches = meters.counter("minqing.deadline-watch.breaches");
        this.failures = meters.counter("minqing.deadline-watch.failures");
    }

    private record Timer(String caseId, DeadlineKind kind, String deadline) {
    }

    /** Fires every timer due now; returns how many were fired. Failed ones stay for the next round. */
    public synchronized int fireDue() {
        Instant now = clock.instant();
        List<Timer> due = jdbc.query("""
                        SELECT case_id, kind, deadline FROM deadline_timer WHERE due_ms <= ?
                        ORDER BY due_ms, case_id, kind FETCH FIRST %d ROWS ONLY""".formatted(BATCH),
                (rs, i) -> new Timer(rs.getString(1), DeadlineKind.valueOf(rs.getString(2)), rs.getString(3)),
                now.toEpochMilli());
        int fired = 0;
        for (Timer timer : due) {
            try {
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                                new RecordDeadlineBreach(timer.caseId(), timer.kind(), Instant.parse(timer.deadline())))
                        .andMetaData(metadata()));
                // Only this deadline's timer: a newer deadline written meanwhile stays.
                jdbc.update("DELETE FROM deadline_timer WHERE case_id = ? AND kind = ? AND deadline = ?",
                        timer.caseId(), timer.kind().name(), timer.deadline());
                fired++;
                breaches.increment();
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("deadline {} {} of case {} could not be fired; retrying next round",
                        timer.kind(), timer.deadline(), timer.caseId(), e);
            }
        }
        return fired;
    }

    private static Map<String, String> metadata() {
        return SystemActor.metadata(ACTOR, "DeadlineWatch");
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "deadline-watch");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::fireQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void fireQuietly() {
        try {
            fireDue();
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("the deadline watch could not read its timers", e);
        }
        rounds.increment();
    }

    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
