package org.minqing.edge.queries;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import io.grpc.stub.ServerCallStreamObserver;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.v1.CaseFeedEntry;
import org.minqing.query.timeline.TimelineReader;

/**
 * One WatchCaseFeed stream: the timeline entries recorded after a position, across cases, as they
 * come, each with the token that resumes after it. It never completes by itself.
 */
public final class FeedWatch extends PollingWatch<CaseFeedEntry> {

    private static final int BATCH = 200;
    private static final String TOKEN_PREFIX = "feed:";

    private final TimelineReader reader;
    private final String reportedBy;
    private long position;

    /**
     * @param reportedBy only the cases this partner system reported; null: every case
     * @param onStop     run when the stream ends, however it ends (it may run more than once)
     */
    public FeedWatch(TimelineReader reader, long position, String reportedBy,
                     ServerCallStreamObserver<CaseFeedEntry> observer, Runnable onStop) {
        super(observer, onStop);
        this.reader = reader;
        this.position = position;
        this.reportedBy = reportedBy;
    }

    /** The token that resumes a feed after {@code position}. */
    static String token(long position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((TOKEN_PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token resumes after, or -1 with a violation on {@code resume_token}. */
    static long position(String token, FieldViolations violations) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(TOKEN_PREFIX)) {
                long position = Long.parseLong(decoded.substring(TOKEN_PREFIX.length()));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException malformed) { // not base64, or not a number
            // refused below
        }
        violations.add("resume_token", "not a token of this feed (give back a CaseFeedEntry's resume_token, or none)");
        return -1;
    }

    @Override
    public void start(ScheduledExecutorService scheduler, Duration interval) {
        observer.setOnReadyHandler(() -> {
            if (!isFinished()) {
                scheduler.execute(this);
            }
        });
        super.start(scheduler, interval);
    }

    @Override
    protected void poll() {
        List<TimelineReader.FeedEntry> batch;
        do {
            batch = reader.feed(position, BATCH, reportedBy);
            for (TimelineReader.FeedEntry entry : batch) {
                if (!observer.isReady()) {
                    return; // resumed by the ready handler or the next poll
                }
                observer.onNext(CaseFeedEntry.newBuilder().setTimelineEntry(entry.entry())
                        .setResumeToken(token(entry.position())).build());
                position = entry.position();
            }
        } while (batch.size() == BATCH);
    }

    @Override
    protected String unavailable() {
        return "the change feed could not be read; watch again with resume_token " + token(position);
    }

    @Override
    public String toString() {
        return "change feed watch" + (reportedBy == null ? "" : " of " + reportedBy);
    }
}
