package org.minqing.kurrentdb.testserver;

/**
 * What an append did: either it succeeded — writing its events, or idempotently, finding them
 * already there (a resend) — with the stream's revision and the position of its last event, or
 * the expected state did not hold.
 *
 * @param currentRevision the stream's revision after the append, or -1 for no stream
 * @param resent          whether it succeeded by finding its events already written
 */
record AppendOutcome(boolean success, long currentRevision, long position, boolean resent) {

    static AppendOutcome success(long currentRevision, long position) {
        return new AppendOutcome(true, currentRevision, position, false);
    }

    static AppendOutcome resent(long currentRevision, long position) {
        return new AppendOutcome(true, currentRevision, position, true);
    }

    static AppendOutcome wrongExpectedVersion(long currentRevision) {
        return new AppendOutcome(false, currentRevision, -1, false);
    }
}
