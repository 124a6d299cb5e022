package org.minqing.command.handling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanFactory;
import org.minqing.command.cases.CaseCommand;
import org.minqing.command.store.EventStoreUnavailableException;
import org.minqing.command.store.GroupCommit;
import org.minqing.command.store.PromptEventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * Axon's command bus on the embedded store, with commands for different cases sharing one
 * transaction. Each command still runs in its own unit of work with every handler interceptor
 * (the {@link RequestLedger} included), exactly as on {@link SimpleCommandBus}; here that unit of
 * work is nested in a batch's unit of work, which owns the one transaction, and the command's own
 * part of it is a savepoint, so a command that fails takes back what it wrote. Axon stages a
 * nested unit's events in its parent, so the batch appends them all at its commit, together with
 * the request records the commands wrote.
 *
 * <p>Why: H2 writes every changed page of every table at each commit ({@code WRITE_DELAY=0},
 * which its durability needs), and that write, not the sync, set the rate of the write path. A
 * batch of commands is one commit, one write of the pages they share, and its acknowledgements wait
 * for one sync ({@link GroupCommit}) on another thread, so the lane goes on with the next batch
 * meanwhile. A case's later command can run before the earlier one's sync, but its own answer waits
 * for a later sync, which covers both: nothing is acknowledged before it and everything it saw is
 * durable.
 *
 * <p>Commands are spread over lanes by case, each lane a thread that runs its batches one after
 * the other, so one case's commands keep their order and never wait for another lane; Axon's
 * aggregate lock still guards a case a merge reaches from another lane. A command that fails
 * inside a batch has rolled back its own unit of work and savepoint and changed nothing; the
 * batch goes on. If it had applied events before failing (its case, shared by the batch, may be
 * left changed in memory), or the batch fails to commit, the batch is rolled back whole and each
 * of its commands runs again alone, so one command's failure is never another's.
 */
public final class BatchingCommandBus extends SimpleCommandBus implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BatchingCommandBus.class);

    private final TransactionManager batchTransactions;
    private final SpanFactory traces;
    private final GroupCommit groupCommit;
    private final int maxBatch;
    private final DistributionSummary batchSizes;
    private final List<Lane> lanes = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param transactions the database's: a batch's unit of work owns a transaction, each
     *                     command's a savepoint in it (Spring's nested transaction)
     * @param lanes    threads that run batches, commands spread over them by case
     * @param maxBatch the most commands in one transaction (1: every command alone, as on
     *                 {@link SimpleCommandBus}, still acknowledged after the group's sync)
     */
    public BatchingCommandBus(PlatformTransactionManager transactions, GroupCommit groupCommit,
                              MessageMonitor<? super CommandMessage<?>> messageMonitor, CommandBusSpanFactory spans,
                              SpanFactory traces, MeterRegistry meters, int lanes, int maxBatch) {
        super(SimpleCommandBus.builder().transactionManager(savepoints(transactions)).messageMonitor(messageMonitor)
                .spanFactory(spans));
        if (lanes < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("lanes and batch size must be at least 1: " + lanes + ", " + maxBatch);
        }
        this.batchTransactions = new SpringTransactionManager(transactions);
        this.traces = traces;
        this.groupCommit = groupCommit;
        this.maxBatch = maxBatch;
        this.batchSizes = DistributionSummary.builder("minqing.commands.batch.size")
                .description("commands per transaction of the embedded store (runs alone after a failed batch included)")
                .register(meters);
        for (int i = 0; i < lanes; i++) {
            Lane lane = new Lane(i);
            this.lanes.add(lane);
            lane.start();
        }
    }

    @Override
    protected <C, R> void handle(CommandMessage<C> command, MessageHandler<? super CommandMessage<?>> handler,
                                 CommandCallback<? super C, ? super R> callback) {
        if (Thread.currentThread() instanceof Lane) { // dispatched from within a command: part of its batch
            super.handle(command, handler, callback);
            return;
        }
        if (stopping) {
            callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(
                    new EventStoreUnavailableException("the server is stopping", null)));
            return;
        }
        String caseId = command.getPayload() instanceof CaseCommand caseCommand ? caseCommand.caseId() : "";
        lanes.get(Math.floorMod(caseId.hashCode(), lanes.size())).queue.add(new Queued<>(command, handler, callback));
    }

    /**
     * A command's part of its batch's transaction. Axon's {@link SpringTransactionManager} ends
     * only transactions it began, so a savepoint it opened would be neither released nor rolled
     * back: this ends it.
     */
    private static TransactionManager savepoints(PlatformTransactionManager transactions) {
        DefaultTransactionDefinition nested = new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED);
        return () -> {
            TransactionStatus savepoint = transactions.getTransaction(nested);
            return new Transaction() {
                @Override
                public void commit() {
                    transactions.commit(savepoint);
                }

                @Override
                public void rollback() {
                    transactions.rollback(savepoint);
                }
            };
        };
    }

    /**
     * {@code minqing.commands.*}: how many lanes run batches (default 2, one per core of the
     * machine the defaults were measured on) and how many commands one batch holds at most
     * (default 64). Batches are whatever is waiting when a lane is free: one command when the
     * load is light, so a lone command does not wait for company.
     */
    @ConfigurationProperties("minqing.commands")
    public record Properties(Integer lanes, Integer batchSize) {

        public Properties {
            lanes = lanes == null ? 2 : lanes;
            batchSize = batchSize == null ? 64 : batchSize;
        }
    }

    /**
     * Runs what was queued, then stops the lanes (the server has stopped taking calls). The lanes
     * are not interrupted: an interrupt during H2's file I/O closes its file channel.
     */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        for (Lane lane : lanes) {
            lane.join(TimeUnit.SECONDS.toMillis(30));
        }
        groupCommit.stop();
        for (Lane lane : lanes) { // queued as the lanes ended: told, not left waiting
            List<Queued<?, ?>> late = new ArrayList<>();
            lane.queue.drainTo(late);
            late.forEach(queued -> queued.failed(new EventStoreUnavailableException("the server is stopping", null)));
        }
    }

    private final class Lane extends Thread {

        final BlockingQueue<Queued<?, ?>> queue = new LinkedBlockingQueue<>();

        Lane(int index) {
            super("command-lane-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            List<Queued<?, ?>> batch = new ArrayList<>(maxBatch);
            while (!(stopping && queue.isEmpty())) {
                try {
                    Queued<?, ?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                queue.drainTo(batch, maxBatch - 1);
                if (!runTogether(batch)) {
                    batch.forEach(queued -> runTogether(List.of(queued)));
                }
                batch.clear();
            }
        }
    }

    /**
     * Runs the commands in one transaction and hands their results to the group commit. Returns
     * false, having changed nothing, when they must run again one by one.
     */
    private boolean runTogether(List<Queued<?, ?>> batch) {
        batchSizes.record(batch.size());
        boolean alone = batch.size() == 1;
        UnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(batch.get(0).command());
        unit.attachTransaction(batchTransactions);
        // First of the after-commit handlers, so the sync starts before the projections are woken.
        unit.afterCommit(u -> {
            batch.forEach(Queued::awaitingSync);
            groupCommit.afterSync(List.copyOf(batch));
        });
        try {
            for (Queued<?, ?> queued : batch) {
                int applied = PromptEventStore.appliedIn(unit).size();
                CommandResultMessage<?> result = queued.run();
                if (!alone && result.isExceptional() && PromptEventStore.appliedIn(unit).size() > applied) {
                    unit.rollback(result.exceptionResult());
                    return false;
                }
            }
            unit.commit();
            return true;
        } catch (RuntimeException | Error e) {
            if (unit.isActive()) {
                unit.rollback(e);
            }
            if (!alone) {
                return false;
            }
            log.debug("command failed as its transaction committed", e);
            batch.get(0).failed(e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e));
            return true;
        }
    }

    /** A command waiting in its lane; its result is told only once the batch is durable. */
    private final class Queued<C, R> implements GroupCommit.Answer {

        private final CommandMessage<C> command;
        private final MessageHandler<? super CommandMessage<?>> handler;
        private final CommandCallback<? super C, ? super R> callback;
        private CommandResultMessage<? extends R> result;
        private Span awaitingSync;

        Queued(CommandMessage<C> command, MessageHandler<? super CommandMessage<?>> handler,
               CommandCallback<? super C, ? super R> callback) {
            this.command = command;
            this.handler = handler;
            this.callback = callback;
        }

        CommandMessage<C> command() {
            return command;
        }

        /** Handles the command in a unit of work of its own, nested in the batch's. */
        CommandResultMessage<? extends R> run() {
            result = null;
            BatchingCommandBus.super.handle(command, handler, (CommandCallback<C, R>) (message, outcome) -> result = outcome);
            return result;
        }

        /** The wait for the sync, in the command's trace (beside its handling, under its dispatch). */
        void awaitingSync() {
            awaitingSync = traces.createChildHandlerSpan(() -> "BatchingCommandBus.awaitDurable", command).start();
        }

        @Override
        public void durable() {
            awaitingSync.end();
            callback.onResult(command, result);
        }

        @Override
        public void failed(RuntimeException failure) {
            if (awaitingSync != null) {
                awaitingSync.recordException(failure).end();
            }
            callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(failure));
        }
    }
}
