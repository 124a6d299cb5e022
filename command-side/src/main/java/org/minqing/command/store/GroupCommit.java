package org.minqing.command.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes committed transactions of the embedded H2 store durable before their commands are
 * acknowledged, many at a time.
 *
 * <p>H2 never calls fsync on commit. With {@code WRITE_DELAY=0} (the default URL) each commit is
 * written to the file at once, in order, by the committing thread — H2's delayed background
 * writes, its default, lost committed transactions on a kill and were seen to reopen files whose
 * tables, indexes and identity came from different moments. What remains is the sync. Committed
 * batches hand their answers here ({@link #afterSync}); one thread takes everything handed over
 * so far, runs one {@code CHECKPOINT SYNC} (write whatever is still unwritten, then fsync the
 * file), then gives the answers: one fsync per group, the way PostgreSQL's WAL flush serves
 * concurrent commits, while the command lanes go on. Commits nobody acknowledges (projections'
 * batches) are synced with the next group; they are derived, and are redone from their tokens if
 * lost, which they are together with their rows.
 *
 * <p>If a sync fails, its answers are failures: nobody can know whether those commits are durable.
 * PostgreSQL syncs every commit itself and needs none of this.
 */
public final class GroupCommit {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** An answer to give once its commit is durable, or a failure to give if it cannot be known. */
    public interface Answer {

        void durable();

        void failed(RuntimeException failure);
    }

    private final JdbcTemplate jdbc;
    private final boolean needed;
    private final Timer syncs;
    private final BlockingQueue<List<? extends Answer>> committed = new LinkedBlockingQueue<>();
    private final Thread syncer = new Thread(this::run, "group-commit");
    private volatile boolean stopping;

    /**
     * @param needed whether to sync at all: false only to measure what the sync costs — H2 then
     *               acknowledges commands written but not synced, which a power loss can take
     * @param meters where {@code minqing.event-store.syncs} times each sync (and so counts the groups)
     */
    public GroupCommit(JdbcTemplate jdbc, boolean needed, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.needed = needed;
        this.syncs = Timer.builder("minqing.event-store.syncs")
                .description("fsyncs of the embedded store, one per group of acknowledged commits").register(meters);
        syncer.setDaemon(true);
        syncer.start();
    }

    /** Gives the answers once everything committed before this call is on stable storage. */
    public void afterSync(List<? extends Answer> answers) {
        committed.add(answers);
    }

    private void run() {
        List<List<? extends Answer>> group = new ArrayList<>();
        while (!(stopping && committed.isEmpty())) {
            try {
                List<? extends Answer> first = committed.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            committed.drainTo(group);
            RuntimeException failure = sync();
            for (List<? extends Answer> answers : group) {
                for (Answer answer : answers) {
                    if (failure == null) {
                        answer.durable();
                    } else {
                        answer.failed(failure);
                    }
                }
            }
            group.clear();
        }
    }

    private RuntimeException sync() {
        if (!needed) {
            return null;
        }
        try {
            syncs.record(() -> jdbc.execute("CHECKPOINT SYNC"));
            return null;
        } catch (RuntimeException e) {
            log.error("syncing the embedded store failed; the commands waiting for it are answered with the failure", e);
            return e;
        }
    }

    /** Syncs and answers what was handed over, then stops (the command lanes have stopped). */
    public void stop() throws InterruptedException {
        stopping = true;
        syncer.join(TimeUnit.SECONDS.toMillis(30));
    }
}
