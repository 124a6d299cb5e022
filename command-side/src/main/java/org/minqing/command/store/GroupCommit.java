package org.minqing.command.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes committed transactions of the embedded H2 store durable before a command is acknowledged,
 * many at a time.
 *
 * <p>H2 never calls fsync on commit. With {@code WRITE_DELAY=0} (the default URL) each commit is
 * written to the file at once, in order, by the committing thread — H2's delayed background
 * writes, its default, lost committed transactions on a kill and were seen to reopen files whose
 * tables, indexes and identity came from different moments. What remains is the sync: each
 * acknowledgement waits for one {@code CHECKPOINT SYNC} (write whatever is still unwritten, then
 * fsync the file) that began after its own commit. Whoever finds no sync running starts one for
 * everybody waiting; the others wait for it or the next: one fsync per group, the way PostgreSQL's
 * WAL flush serves concurrent commits. Commits nobody acknowledges (projections' batches) are
 * synced with the next group; they are derived, and are redone from their tokens if lost, which
 * they are together with their rows.
 *
 * <p>On PostgreSQL every commit is already synced by the server, and this does nothing.
 */
public final class GroupCommit {

    private final JdbcTemplate jdbc;
    private final boolean needed;
    private final Timer syncs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Tickets handed out, and the highest ticket a finished sync covers. */
    private long issued;
    private long durable;
    private boolean syncing;

    /**
     * @param needed whether this database acknowledges commits before they are on stable storage (H2)
     * @param meters where {@code minqing.event-store.syncs} times each sync (and so counts the groups)
     */
    public GroupCommit(JdbcTemplate jdbc, boolean needed, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.needed = needed;
        this.syncs = Timer.builder("minqing.event-store.syncs")
                .description("fsyncs of the embedded store, one per group of acknowledged commits").register(meters);
    }

    /**
     * Returns once everything committed before the call is on stable storage.
     *
     * @throws org.springframework.dao.DataAccessException when the sync failed: the caller cannot
     *                                                     know whether its commit is durable
     */
    public void awaitDurable() {
        if (!needed) {
            return;
        }
        lock.lock();
        try {
            long ticket = ++issued;
            while (durable < ticket) {
                if (syncing) {
                    finished.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long covered = issued;
                boolean synced = false;
                lock.unlock();
                try {
                    syncs.record(() -> jdbc.execute("CHECKPOINT SYNC"));
                    synced = true;
                } finally {
                    lock.lock();
                    syncing = false;
                    if (synced) {
                        durable = Math.max(durable, covered);
                    }
                    finished.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
