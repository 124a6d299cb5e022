package org.minqing.kurrentdb.testserver;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import com.google.protobuf.Timestamp;
import io.grpc.stub.ServerCallStreamObserver;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadResp;

/**
 * One catch-up subscription: confirms, sends the matching history, says it caught up, then
 * follows the log live. History and live records are queued in log order (the log registers the
 * subscription atomically with taking the history), and one thread sends them, so the client
 * sees every matching event exactly once and in order.
 *
 * <p>A filtered {@code $all} subscription scans as a real server does: every record after the
 * start is looked at, at the log's scan cost each, and after every {@code checkpointInterval}
 * records scanned it sends a checkpoint (the position scanned up to) whether or not any matched,
 * so a client learns that the server is making progress through records it does not want.
 */
final class Subscription implements Runnable {

    private static final Object CAUGHT_UP = new Object();
    private static final Object STOP = new Object();

    private final String id;
    private final EventLog log;
    private final Predicate<Recorded> after;
    private final Predicate<Recorded> filter;
    private final int checkpointInterval;
    private final ServerCallStreamObserver<ReadResp> response;
    private final boolean structuredIds;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private Runnable unregister = () -> { };

    /**
     * @param after              the records after the subscription's start (not scanned)
     * @param filter             the server-side filter, null for none (no scanning, no checkpoints)
     * @param checkpointInterval records scanned per checkpoint, for a filter
     */
    Subscription(String id, EventLog log, Predicate<Recorded> after, Predicate<Recorded> filter, int checkpointInterval,
                 ServerCallStreamObserver<ReadResp> response, boolean structuredIds) {
        this.id = id;
        this.log = log;
        this.after = after;
        this.filter = filter;
        this.checkpointInterval = checkpointInterval;
        this.response = response;
        this.structuredIds = structuredIds;
    }

    void start() {
        response.setOnCancelHandler(() -> queue.add(STOP));
        response.onNext(ReadResp.newBuilder().setConfirmation(ReadResp.SubscriptionConfirmation.newBuilder()
                .setSubscriptionId(id)).build());
        unregister = log.subscribe(history -> {
            history.stream().filter(after).forEach(queue::add);
            queue.add(CAUGHT_UP);
        }, record -> {
            if (after.test(record)) {
                queue.add(record);
            }
        });
        Thread sender = new Thread(this, "kurrentdb-test-subscription-" + id);
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void run() {
        long scanned = 0;
        long owed = 0; // scan time not yet spent, in nanoseconds: spent a millisecond at a time
        try {
            while (true) {
                Object next = queue.take();
                if (next == STOP || response.isCancelled()) {
                    return;
                }
                if (next == CAUGHT_UP) {
                    Instant now = Instant.now();
                    response.onNext(ReadResp.newBuilder().setCaughtUp(ReadResp.CaughtUp.newBuilder()
                            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())))
                            .build());
                } else if (filter == null) {
                    response.onNext(Wire.event((Recorded) next, structuredIds));
                } else {
                    Recorded record = (Recorded) next;
                    owed += log.scanCost().toNanos();
                    if (owed >= 1_000_000) {
                        LockSupport.parkNanos(owed);
                        owed = 0;
                    }
                    if (filter.test(record)) {
                        response.onNext(Wire.event(record, structuredIds));
                    }
                    if (++scanned % checkpointInterval == 0) {
                        response.onNext(ReadResp.newBuilder().setCheckpoint(ReadResp.Checkpoint.newBuilder()
                                .setCommitPosition(record.position()).setPreparePosition(record.position())).build());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException callGone) {
            // The call was cancelled or the server stopped: the client sees the error on its side.
        } finally {
            unregister.run();
        }
    }
}
