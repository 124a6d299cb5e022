package org.minqing.kurrentdb.testserver;

/**
 * What an append did: either it succeeded (possibly idempotently, writing nothing) with the
 * stream's revision and the position of its last event, or the expected state did not hold.
 *
 * @param currentRevision the stream's revision after the append, or -1 for no stream
 */
record AppendOutcome(boolean success, long currentRevision, long position) {

    static AppendOutcome success(long currentRevision, long position) {
        return new AppendOutcome(true, currentRevision, position);
    }

    static AppendOutcome wrongExpectedVersion(long currentRevision) {
        return new AppendOutcome(false, currentRevision, -1);
    }
}
