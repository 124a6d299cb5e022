package org.minqing.kurrentdb.testserver;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a test sets on the server's appends ({@link KurrentDbTestServer}'s knobs): how long each
 * waits, the largest one accepted, and which answers never come back.
 */
final class AppendConditions {

    final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    /** A real server's default {@code MaxAppendSize}: 1 MiB of events' data and custom metadata in one append. */
    final AtomicInteger maxSize = new AtomicInteger(1 << 20);
    final AtomicBoolean dropResends = new AtomicBoolean();
    private final AtomicInteger answersToLose = new AtomicInteger();

    void loseAnswers(int count) {
        answersToLose.set(count);
    }

    /** Whether this append, written or found written ({@code resent}), goes unanswered. */
    boolean unanswered(boolean resent) {
        return (resent && dropResends.get()) || answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }
}
