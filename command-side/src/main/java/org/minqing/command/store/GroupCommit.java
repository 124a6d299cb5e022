package org.minqing.command.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes committed transactions of the embedded H2 store durable before a command is acknowledged,
 * many at a time.
 *
 * <p>H2's MVStore keeps committed changes in memory and writes them about a second later; with
 * {@code WRITE_DELAY=0} it writes every commit but still never calls fsync, so neither survives
 * a power loss. Here commits stay in memory, and each acknowledgement waits for one
 * {@code CHECKPOINT SYNC} (write all committed changes as one chunk, then fsync the file) that
 * began after its own commit. Whoever finds no sync running starts one for everybody waiting;
 * the others wait for it or the next: one write and one fsync per group, the way PostgreSQL's
 * WAL flush serves concurrent commits. Commits that nobody acknowledges (projections' batches)
 * ride along with the next sync or H2's own background write; they are derived and are redone
 * from their tokens if lost, which they are together with their rows.
 *
 * <p>On PostgreSQL every commit is already synced by the server, and this does nothing.
 */
public final class GroupCommit {

    private final JdbcTemplate jdbc;
    private final boolean needed;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Tickets handed out, and the highest ticket a finished sync covers. */
    private long issued;
    private long durable;
    private boolean syncing;

    /** @param needed whether this database acknowledges commits before they are on stable storage (H2) */
    public GroupCommit(JdbcTemplate jdbc, boolean needed) {
        this.jdbc = jdbc;
        this.needed = needed;
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
                    jdbc.execute("CHECKPOINT SYNC");
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
