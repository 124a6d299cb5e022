package org.minqing.command.store.kurrentdb;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.SubscribeToAllOptions;
import io.kurrent.dbclient.Subscription;
import io.kurrent.dbclient.SubscriptionFilter;
import io.kurrent.dbclient.SubscriptionListener;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.minqing.command.store.EventStoreUnavailableException;

/**
 * The events of {@code $all} after a position that pass a server-side filter: one catch-up
 * subscription (its start is exclusive, so resuming from the last handled event neither repeats
 * nor skips one) that stays open for as long as the processor's stream does, consumed as an
 * iterator that has nothing next while nothing new has arrived. Axon keeps a processor's stream
 * and asks it again after each commit or poll (the store's shared reader is off), so what a
 * processor sees follows its own position only, from one subscription per processor.
 *
 * <p>Until the subscription has caught up, {@link #hasNext} waits up to the idle time for the
 * server's next message; after that it only looks at what has arrived. The queue is bounded: when
 * the reader is slow, the listener blocks and the client stops asking the server for more. A server
 * that never says it caught up (older than 23.10) is taken as caught up once it has sent nothing
 * for the idle time. Checkpoints count as something: a real server scanning a long run of records
 * the filter does not want (its own statistics, projections' streams) sends only a checkpoint every
 * 32 of them, and taking that silence for "caught up" would end the scan's wait early.
 */
final class AllStreamSubscription implements Iterator<RecordedEvent>, AutoCloseable {

    private static final Object CAUGHT_UP = new Object();
    private static final Object CHECKPOINT = new Object();

    private final BlockingQueue<Object> queue;
    private final Duration idle;
    private final Subscription subscription;
    private Object next;
    private boolean live;
    private volatile boolean closed;

    AllStreamSubscription(KurrentDbConnection connection, Position after, String streamRegex, int capacity,
                          Duration idle) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.idle = idle;
        SubscribeToAllOptions options = SubscribeToAllOptions.get()
                .filter(SubscriptionFilter.newBuilder().withStreamNameRegularExpression(streamRegex)
                        .withCheckpointer((ignored, position) -> {
                            offer(CHECKPOINT);
                            return CompletableFuture.completedFuture(null);
                        }).build());
        options = after == null ? options.fromStart() : options.fromPosition(after);
        try {
            this.subscription = connection.await(connection.client().subscribeToAll(new Listener(), options),
                    "subscribe to $all");
        } catch (ExecutionException e) {
            throw new EventStoreException("cannot subscribe to $all: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        Object item;
        try {
            do { // checkpoints: the server is scanning; wait on (or, when live, look on)
                item = live ? queue.poll() : queue.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
            } while (item == CHECKPOINT || (live && item == CAUGHT_UP));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (item == null || item == CAUGHT_UP) {
            live = true; // nothing more yet; what the server sends from now on waits in the queue
            return false;
        }
        if (item instanceof Throwable error) {
            close();
            throw new EventStoreUnavailableException("the subscription to $all was dropped: " + error.getMessage(), error);
        }
        next = item;
        return true;
    }

    @Override
    public RecordedEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RecordedEvent event = (RecordedEvent) next;
        next = null;
        return event;
    }

    @Override
    public void close() {
        closed = true;
        subscription.stop();
        queue.clear(); // unblocks a listener waiting for room
    }

    private final class Listener extends SubscriptionListener {

        @Override
        public void onEvent(Subscription ignored, ResolvedEvent event) {
            offer(event.getOriginalEvent());
        }

        @Override
        public void onCaughtUp(Subscription ignored, Instant timestamp, Long streamRevision, Position position) {
            offer(CAUGHT_UP);
        }

        @Override
        public void onCancelled(Subscription ignored, Throwable exception) {
            // Also when the server ends it without an error: the stream must not wait on a dead subscription.
            offer(exception != null ? exception : new IllegalStateException("the server ended the subscription"));
        }
    }

    private void offer(Object item) {
        try {
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // The reader is behind: wait for room, which also holds back the server.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
