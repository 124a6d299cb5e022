package org.minqing.kurrentdb.testserver;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

import com.google.protobuf.Timestamp;
import io.grpc.stub.ServerCallStreamObserver;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadResp;

/**
 * One catch-up subscription: confirms, sends the matching history, says it caught up, then
 * follows the log live. History and live records are queued in log order (the log registers the
 * subscription atomically with taking the history), and one thread sends them, so the client
 * sees every matching event exactly once and in order.
 */
final class Subscription implements Runnable {

    private static final Object CAUGHT_UP = new Object();
    private static final Object STOP = new Object();

    private final String id;
    private final EventLog log;
    private final Predicate<Recorded> selection;
    private final ServerCallStreamObserver<ReadResp> response;
    private final boolean structuredIds;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private Runnable unregister = () -> { };

    Subscription(String id, EventLog log, Predicate<Recorded> selection, ServerCallStreamObserver<ReadResp> response,
                 boolean structuredIds) {
        this.id = id;
        this.log = log;
        this.selection = selection;
        this.response = response;
        this.structuredIds = structuredIds;
    }

    void start() {
        response.setOnCancelHandler(() -> queue.add(STOP));
        response.onNext(ReadResp.newBuilder().setConfirmation(ReadResp.SubscriptionConfirmation.newBuilder()
                .setSubscriptionId(id)).build());
        unregister = log.subscribe(history -> {
            history.stream().filter(selection).forEach(queue::add);
            queue.add(CAUGHT_UP);
        }, record -> {
            if (selection.test(record)) {
                queue.add(record);
            }
        });
        Thread sender = new Thread(this, "kurrentdb-test-subscription-" + id);
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void run() {
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
                } else {
                    response.onNext(Wire.event((Recorded) next, structuredIds));
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
