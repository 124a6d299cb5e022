package org.minqing.edge.queries;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import io.grpc.stub.ServerCallStreamObserver;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.query.timeline.TimelineReader;

/**
 * One WatchTimelineEntries stream: a periodic task on the shared scheduler that sends the
 * entries recorded since the last poll, while the client can take them (flow control), and
 * ends the stream once a finished case's last entry is sent, or when the client cancels. No
 * thread waits on a stream between polls.
 */
public final class TimelineWatch extends PollingWatch<TimelineEntry> {

    private static final int BATCH = 200;

    private final TimelineReader reader;
    private final String caseId;
    private long next;

    /** @param onStop run when the stream ends, however it ends (it may run more than once) */
    public TimelineWatch(TimelineReader reader, String caseId, long startSequence,
                         ServerCallStreamObserver<TimelineEntry> observer, Runnable onStop) {
        super(observer, onStop);
        this.reader = reader;
        this.caseId = caseId;
        this.next = startSequence;
    }

    @Override
    public void start(ScheduledExecutorService scheduler, Duration interval) {
        // When the client catches up, go on at once instead of waiting for the next poll.
        observer.setOnReadyHandler(() -> {
            if (!isFinished()) {
                scheduler.execute(this);
            }
        });
        super.start(scheduler, interval);
    }

    @Override
    protected void poll() {
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
            complete();
        }
    }

    @Override
    protected String unavailable() {
        return "the timeline could not be read; watch again from sequence " + next;
    }

    @Override
    public String toString() {
        return "timeline watch of case " + caseId;
    }
}
