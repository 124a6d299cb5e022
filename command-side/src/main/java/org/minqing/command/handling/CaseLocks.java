package org.minqing.command.handling;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises, within this process, the transactions that change the same case. Axon's own
 * aggregate lock ends with its unit of work, before the surrounding transaction (which also
 * stores the request id) commits, so a second writer in this process would read the case without
 * the first one's events and lose the race on the sequence number. Holding this lock for the whole
 * transaction leaves optimistic retries to writers in other processes. Striped: a fixed set of
 * locks, chosen by the case id's hash, so memory stays bounded.
 */
final class CaseLocks {

    private static final int STRIPES = 1024;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    CaseLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock forCase(String caseId) {
        return locks[Math.floorMod(caseId.hashCode(), STRIPES)];
    }
}
