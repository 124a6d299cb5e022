package org.minqing.command.handling;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Serialises writers to one case across processes that share a PostgreSQL database: a
 * transaction-scoped advisory lock keyed by the case, taken before the case is loaded and released
 * when the transaction (events and request record) commits or rolls back. Without it, two command
 * processes writing to one busy case keep invalidating each other's reads and fall back on
 * optimistic retries, which a steady writer in one process can starve. On the embedded H2 store
 * there is only ever one process, and Axon's aggregate lock is enough.
 */
final class DatabaseCaseLock {

    /** The first half of the two-part advisory key: "cases", so other uses of advisory locks cannot collide. */
    private static final int CASES = 0x4d51_4341;

    private final JdbcTemplate jdbc;
    private final boolean advisoryLocks;

    /** @param advisoryLocks whether the database is PostgreSQL (and other processes may write) */
    DatabaseCaseLock(JdbcTemplate jdbc, boolean advisoryLocks) {
        this.jdbc = jdbc;
        this.advisoryLocks = advisoryLocks;
    }

    /** Blocks until this transaction is the only one, in any process, changing the case. */
    void acquireForTransaction(String caseId) {
        if (advisoryLocks) {
            // Hash collisions only make two cases take turns; they never let two writers of one case in.
            jdbc.query("SELECT pg_advisory_xact_lock(?, ?)", rs -> null, CASES, caseId.hashCode());
        }
    }
}
