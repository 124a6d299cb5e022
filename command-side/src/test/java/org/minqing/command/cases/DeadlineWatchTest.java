package org.minqing.command.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseReopened;
import org.minqing.api.v1.DeadlineBreached;
import org.minqing.api.v1.DeadlineKind;
import org.minqing.command.cases.CaseCommands.*;
import org.minqing.command.deadlines.DeadlinePolicy;
import org.minqing.command.deadlinewatch.DeadlineTimers;
import org.minqing.command.deadlinewatch.DeadlineWatch;
import org.minqing.command.deadlinewatch.DeadlineWatchProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The deadline watch with real command handling, the timers table in H2 and a clock the test
 * moves: breaches fire once, at their deadline, across restarts of the watch, and moved or
 * finished deadlines do not fire.
 */
class DeadlineWatchTest {

    /** Monday 2026-03-09 09:00 in Beijing: a 24 h response deadline, 7 working days to resolve. */
    static final Instant T0 = Instant.parse("2026-03-09T01:00:00Z");
    static final Instant RESPONSE_DEADLINE = T0.plus(Duration.ofHours(24));

    private Instant now = T0;
    private final Clock clock = CaseSteps.clockOf(() -> now);
    private final AxonHarness axon = new AxonHarness(DeadlinePolicy.defaults(), clock);
    private final JdbcTemplate jdbc = database();

    private static JdbcTemplate database() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:timers-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new JdbcTemplate(dataSource);
    }

    @BeforeEach
    void setUp() {
        // the timers processor, fed as each unit of work commits
        AnnotationEventHandlerAdapter timers = new AnnotationEventHandlerAdapter(new DeadlineTimers(jdbc));
        axon.eventStore.subscribe(messages -> messages.forEach(message -> {
            try {
                if (timers.canHandle(message)) {
                    timers.handle(message);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    @AfterEach
    void tearDown() {
        axon.close();
    }

    private DeadlineWatch newWatch() {
        return new DeadlineWatch(jdbc, axon.gateway, new DeadlineWatchProperties(false, null), new SimpleMeterRegistry(),
                clock);
    }

    private void dispatched(String caseId) {
        axon.gateway.sendAndWait(CaseHistory.report(caseId));
        axon.gateway.sendAndWait(new AcceptCase(caseId, ""));
        axon.gateway.sendAndWait(new DispatchCase(caseId, "dept-roads", "", ""));
    }

    private List<DeadlineBreached> breaches(String caseId) {
        return axon.events(caseId).stream().filter(DeadlineBreached.class::isInstance)
                .map(DeadlineBreached.class::cast).toList();
    }

    private int timers() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM deadline_timer", Integer.class);
    }

    @Test
    void aDeadlineFiresAtItsTimeAndOnlyOnce() {
        DeadlineWatch watch = newWatch();
        dispatched("c1");
        assertThat(timers()).isEqualTo(2);

        now = RESPONSE_DEADLINE.minusMillis(1);
        assertThat(watch.fireDue()).isZero();
        assertThat(breaches("c1")).isEmpty();

        now = RESPONSE_DEADLINE;
        assertThat(watch.fireDue()).isEqualTo(1);
        assertThat(breaches("c1")).singleElement().satisfies(b -> {
            assertThat(b.getKind()).isEqualTo(DeadlineKind.DEADLINE_KIND_RESPONSE);
            assertThat(b.getDeadline().getSeconds()).isEqualTo(RESPONSE_DEADLINE.getEpochSecond());
            assertThat(b.getDepartment()).isEqualTo("dept-roads");
        });

        now = now.plus(Duration.ofHours(1));
        assertThat(watch.fireDue()).isZero();
        assertThat(breaches("c1")).hasSize(1);
        assertThat(timers()).as("the resolution timer is still pending").isEqualTo(1);
    }

    @Test
    void aRestartInTheMiddleOfAPendingDeadlineStillFiresItExactlyOnce() {
        dispatched("c1");
        newWatch(); // the first process: it never polls past the deadline before it stops

        now = RESPONSE_DEADLINE.plus(Duration.ofMinutes(3)); // the process was down at the deadline
        // A process that sent the breach and crashed before removing its timer, and before the
        // timers processor saw the breach: the timer is still there.
        axon.gateway.sendAndWait(new RecordDeadlineBreach("c1", DeadlineKind.DEADLINE_KIND_RESPONSE, RESPONSE_DEADLINE));
        jdbc.update("INSERT INTO deadline_timer (case_id, kind, deadline, due_ms) VALUES (?, ?, ?, ?)", "c1",
                DeadlineKind.DEADLINE_KIND_RESPONSE.name(), RESPONSE_DEADLINE.toString(), RESPONSE_DEADLINE.toEpochMilli());
        assertThat(timers()).isEqualTo(2);

        DeadlineWatch restarted = newWatch();
        restarted.fireDue();
        restarted.fireDue();
        assertThat(breaches("c1")).singleElement()
                .satisfies(b -> assertThat(b.getDeadline().getSeconds()).isEqualTo(RESPONSE_DEADLINE.getEpochSecond()));
        assertThat(timers()).isEqualTo(1);
    }

    @Test
    void aTimelyResponseAndAResolutionLeaveNothingToFire() {
        DeadlineWatch watch = newWatch();
        dispatched("c1");
        now = T0.plus(Duration.ofHours(2));
        axon.gateway.sendAndWait(new AcknowledgeCase("c1", ""));
        assertThat(timers()).as("acknowledged, not yet contacted: the response is still owed").isEqualTo(2);
        axon.gateway.sendAndWait(new RecordCitizenContact("c1", org.minqing.api.v1.ContactMethod.CONTACT_METHOD_PHONE, null, ""));
        assertThat(timers()).as("the response is recorded: its timer goes").isEqualTo(1);
        axon.gateway.sendAndWait(new ResolveCase("c1", "done", List.of()));

        now = T0.plus(Duration.ofDays(30));
        watch.fireDue();
        assertThat(breaches("c1")).isEmpty();
        assertThat(timers()).isZero();
    }

    @Test
    void aReopenReschedulesTheResolutionAndAnExtensionMovesIt() {
        DeadlineWatch watch = newWatch();
        dispatched("c1");
        axon.gateway.sendAndWait(new AcknowledgeCase("c1", ""));
        axon.gateway.sendAndWait(new RecordCitizenContact("c1", org.minqing.api.v1.ContactMethod.CONTACT_METHOD_PHONE, null, ""));
        axon.gateway.sendAndWait(new ResolveCase("c1", "done", List.of()));
        axon.gateway.sendAndWait(new RecordFeedback("c1", false, org.minqing.api.v1.Satisfaction.SATISFACTION_UNSATISFIED, ""));
        now = T0.plus(Duration.ofDays(2));
        axon.gateway.sendAndWait(new ReopenCase("c1", "still broken"));
        Instant reopenDeadline = axon.events("c1").stream().filter(CaseReopened.class::isInstance)
                .map(e -> ((CaseReopened) e).getDeadlines().getResolutionDeadline())
                .map(t -> Instant.ofEpochSecond(t.getSeconds(), t.getNanos())).findFirst().orElseThrow();
        Instant extended = reopenDeadline.plus(Duration.ofDays(3));
        axon.gateway.sendAndWait(new RequestExtension("c1", extended, "parts"));
        axon.gateway.sendAndWait(new ApproveExtension("c1", ""));

        now = reopenDeadline.plusSeconds(1);
        watch.fireDue();
        assertThat(breaches("c1")).as("the extension moved the deadline").isEmpty();

        now = extended;
        watch.fireDue();
        assertThat(breaches("c1")).singleElement().satisfies(b -> {
            assertThat(b.getKind()).isEqualTo(DeadlineKind.DEADLINE_KIND_RESOLUTION);
            assertThat(b.getDeadline().getSeconds()).isEqualTo(extended.getEpochSecond());
        });
    }

    @Test
    void aTransferReplacesTheTimersAndACloseCancelsThem() {
        DeadlineWatch watch = newWatch();
        dispatched("c1");
        now = T0.plus(Duration.ofHours(20));
        axon.gateway.sendAndWait(new TransferCase("c1", "dept-water", "", "main pipe"));
        Instant newResponse = now.plus(Duration.ofHours(24));

        now = RESPONSE_DEADLINE.plusSeconds(1);
        watch.fireDue();
        assertThat(breaches("c1")).isEmpty();

        now = newResponse;
        watch.fireDue();
        assertThat(breaches("c1")).singleElement()
                .satisfies(b -> assertThat(b.getDepartment()).isEqualTo("dept-water"));

        dispatched("c2");
        axon.gateway.sendAndWait(new ReturnCase("c2", "not ours"));
        now = now.plus(Duration.ofDays(30));
        watch.fireDue();
        assertThat(breaches("c2")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM deadline_timer WHERE case_id = 'c2'", Integer.class)).isZero();
    }
}
