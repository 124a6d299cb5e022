package org.minqing.edge.queries;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.query.timeline.TimelineReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WatchTimelineEntries stream: a periodic task on the shared scheduler that sends the
 * entries recorded since the last poll, while the client can take them (flow control), and
 * ends the stream once a finished case's last entry is sent, or when the client cancels. No
 * thread waits on a stream between polls.
 */
public final class TimelineWatch implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TimelineWatch.class);
    private static final int BATCH = 200;

    private final TimelineReader reader;
    private final String caseId;
    private final ServerCallStreamObserver<TimelineEntry> observer;
    private long next;
    private volatile boolean finished;
    private volatile ScheduledFuture<?> polling;
    private final Runnable onStop;

    /** @param onStop run when the stream ends, however it ends (it may run more than once) */
    public TimelineWatch(TimelineReader reader, String caseId, long startSequence,
                         ServerCallStreamObserver<TimelineEntry> observer, Runnable onStop) {
        this.reader = reader;
        this.caseId = caseId;
        this.next = startSequence;
        this.observer = observer;
        this.onStop = onStop;
    }

    /** Starts polling; call from the service method (gRPC allows handlers only to be set there). */
    public void start(ScheduledExecutorService scheduler, Duration interval) {
        observer.setOnCancelHandler(this::stop);
        // When the client catches up, go on at once instead of waiting for the next poll.
        observer.setOnReadyHandler(() -> {
            if (!finished) {
                scheduler.execute(this);
            }
        });
        polling = scheduler.scheduleWithFixedDelay(this, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void run() {
        if (finished || observer.isCancelled()) {
            stop();
            return;
        }
        try {
            List<TimelineEntry> batch;
            do {
                batch = reader.read(caseId, next, BATCH);
                for (TimelineEntry entry : batch) {
                    if (!observer.isReady()) {
                        return; // resumed by the ready handler or the next poll
                    }
                    observer.onNext(entry);
                    next = entry.getSequence() + 1;
                }
            } while (batch.size() == BATCH);
            if (reader.isComplete(caseId, next)) {
                stop();
                observer.onCompleted();
            }
        } catch (RuntimeException e) {
            log.warn("timeline watch of case {} failed", caseId, e);
            stop();
            observer.onError(Status.UNAVAILABLE.withDescription("the timeline could not be read; watch again from "
                    + "sequence " + next).withCause(e).asRuntimeException());
        }
    }

    private void stop() {
        finished = true;
        ScheduledFuture<?> task = polling;
        if (task != null) {
            task.cancel(false);
        }
        onStop.run();
    }
}
