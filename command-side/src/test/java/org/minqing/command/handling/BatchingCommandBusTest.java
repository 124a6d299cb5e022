package org.minqing.command.handling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.DefaultCommandBusSpanFactory;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.serialization.xml.XStreamSerializer;
import org.axonframework.tracing.NoOpSpanFactory;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.minqing.command.cases.CaseCommand;
import org.minqing.command.store.GroupCommit;
import org.minqing.command.store.PromptEventStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Commands waiting together share one transaction; each is still its own unit of work, so a
 * refusal changes nothing of the others; a command that failed after applying events sends its
 * batch back to run command by command; nothing is answered before the sync after its commit.
 */
class BatchingCommandBusTest {

    private final JdbcDataSource dataSource = h2();
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final CountingTransactions transactions = new CountingTransactions(dataSource);
    private final InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    private final PromptEventStore events = new PromptEventStore(EmbeddedEventStore.builder().storageEngine(engine),
            Duration.ofHours(1), XStreamSerializer.defaultSerializer(), caseId -> null);
    /** What happened, in order: "sync" for each sync, "answer <case>" for each answer. */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch firstRunning = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final BatchingCommandBus bus = new BatchingCommandBus(transactions, new GroupCommit(new LoggingSync(jdbc, log), true, meters), NoOpMessageMonitor.INSTANCE,
            DefaultCommandBusSpanFactory.builder().spanFactory(NoOpSpanFactory.INSTANCE).build(), NoOpSpanFactory.INSTANCE,
            meters, 1, 64);

    BatchingCommandBusTest() {
        jdbc.execute("CREATE TABLE step (case_id VARCHAR(64) PRIMARY KEY)");
        bus.subscribe(Step.class.getName(), this::handle);
    }

    @AfterEach
    void stop() throws InterruptedException {
        bus.destroy();
        events.shutDown();
    }

    /** Waits when told to, records a row and an event, and refuses or breaks when told to. */
    private Object handle(CommandMessage<?> message) throws Exception {
        Step step = (Step) message.getPayload();
        if (step.action().equals("block")) {
            firstRunning.countDown();
            releaseFirst.await(10, TimeUnit.SECONDS);
        }
        if (step.action().equals("refuse")) {
            throw new IllegalArgumentException("refused " + step.caseId());
        }
        jdbc.update("INSERT INTO step (case_id) VALUES (?)", step.caseId());
        events.publish(new GenericDomainEventMessage<>("Case", step.caseId(), 0, "done " + step.caseId()));
        if (step.action().equals("break")) {
            throw new IllegalStateException("broke " + step.caseId() + " after applying its event");
        }
        return step.caseId();
    }

    @Test
    void commandsWaitingTogetherCommitInOneTransactionAndAreAnsweredAfterTheSync() throws Exception {
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            steps.add(new Step("case-" + i, "ok"));
        }
        List<CompletableFuture<Object>> waiting = behindABlockedCommand(steps.toArray(Step[]::new));

        for (int i = 1; i <= 5; i++) {
            assertThat(waiting.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo("case-" + i);
        }
        assertThat(transactions.started.get()).as("the first command alone, then the five that waited").isEqualTo(2);
        assertThat(meters.get("minqing.commands.batch.size").summary().max()).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM step", Integer.class)).isEqualTo(6);
        assertThat(engine.readEvents(null, false).count()).isEqualTo(6);
        // Every answer came after a sync that followed its commit: here, the first after one
        // sync, the five after a second.
        assertThat(log.indexOf("answer case-0")).isGreaterThan(log.indexOf("sync"));
        for (int i = 1; i <= 5; i++) {
            assertThat(log.indexOf("answer case-" + i)).isGreaterThan(log.lastIndexOf("sync"));
        }
        assertThat(log.stream().filter("sync"::equals).count()).isEqualTo(2);
    }

    @Test
    void aRefusedCommandChangesNothingAndTheRestOfItsBatchCommits() throws Exception {
        List<CompletableFuture<Object>> answers = behindABlockedCommand(new Step("case-1", "ok"),
                new Step("case-2", "refuse"), new Step("case-3", "ok"));
        CompletableFuture<Object> before = answers.get(0);
        CompletableFuture<Object> refused = answers.get(1);
        CompletableFuture<Object> after = answers.get(2);

        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("case-1");
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("case-3");
        assertThat(refused).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("refused case-2");
        assertThat(transactions.started.get()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT case_id FROM step ORDER BY case_id", String.class))
                .containsExactly("case-0", "case-1", "case-3");
    }

    @Test
    void aCommandThatFailsAfterApplyingEventsSendsItsBatchBackToRunCommandByCommand() throws Exception {
        List<CompletableFuture<Object>> answers = behindABlockedCommand(new Step("case-1", "ok"),
                new Step("case-2", "break"), new Step("case-3", "ok"));
        CompletableFuture<Object> before = answers.get(0);
        CompletableFuture<Object> broken = answers.get(1);
        CompletableFuture<Object> after = answers.get(2);

        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("case-1");
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("case-3");
        assertThat(broken).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("broke case-2");
        // The first alone, the batch of three rolled back, then each of the three alone.
        assertThat(transactions.started.get()).isEqualTo(5);
        assertThat(jdbc.queryForList("SELECT case_id FROM step ORDER BY case_id", String.class))
                .containsExactly("case-0", "case-1", "case-3");
        assertThat(engine.readEvents(null, false).map(e -> e.getPayload().toString()))
                .containsExactlyInAnyOrder("done case-0", "done case-1", "done case-3");
    }

    /**
     * Sends {@code steps} while the lane runs a first command (case-0) that waits for them to be
     * queued, so they form the next batch; returns their answers once the first is answered.
     */
    private List<CompletableFuture<Object>> behindABlockedCommand(Step... steps) throws Exception {
        CompletableFuture<Object> first = send(new Step("case-0", "block"));
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (Step step : steps) {
            answers.add(send(step));
        }
        releaseFirst.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("case-0");
        return answers;
    }

    private CompletableFuture<Object> send(Step step) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        bus.dispatch(GenericCommandMessage.asCommandMessage(step), (CommandMessage<? extends Step> c,
                                                                    CommandResultMessage<?> result) -> {
            log.add("answer " + step.caseId());
            if (result.isExceptional()) {
                answer.completeExceptionally(result.exceptionResult());
            } else {
                answer.complete(result.getPayload());
            }
        });
        return answer;
    }

    record Step(String caseId, String action) implements CaseCommand {
    }

    /** Records each sync in the log, then syncs. */
    private static final class LoggingSync extends JdbcTemplate {

        private final List<String> log;

        LoggingSync(JdbcTemplate jdbc, List<String> log) {
            super(jdbc.getDataSource());
            this.log = log;
        }

        @Override
        public void execute(String sql) {
            super.execute(sql);
            log.add("sync");
        }
    }

    /** Counts the transactions begun (savepoints are not). */
    private static final class CountingTransactions extends DataSourceTransactionManager {

        private final AtomicInteger started = new AtomicInteger();

        CountingTransactions(JdbcDataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected void doBegin(Object transaction, org.springframework.transaction.TransactionDefinition definition) {
            started.incrementAndGet();
            super.doBegin(transaction, definition);
        }
    }

    private static JdbcDataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:batching-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }
}
