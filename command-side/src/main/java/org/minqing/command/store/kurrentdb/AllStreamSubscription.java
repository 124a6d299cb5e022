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
 * The events of {@code $all} after a position that pass a server-side filter, up to the moment
 * the subscription catches up: a catch-up subscription (its start is exclusive, so resuming from
 * the last handled event neither repeats nor skips one) consumed as a finite iterator; a
 * processor's stream is a {@link Resuming} chain of them.
 *
 * <p>The queue is bounded: when the reader is slow, the listener blocks and the client stops
 * asking the server for more. A server that never says it caught up (older than 23.10) is
 * treated as caught up once it has sent nothing for the idle time: the next stream resumes.
 * Checkpoints count as something: a real server scanning a long run of records the filter does
 * not want (its own statistics, projections' streams) sends only a checkpoint every 32 of them,
 * and taking that silence for "caught up" would start the same scan again from the same
 * position, for ever on a log whose run takes longer than the idle time to scan.
 */
final class AllStreamSubscription implements Iterator<RecordedEvent>, AutoCloseable {

    private static final Object CAUGHT_UP = new Object();
    private static final Object CHECKPOINT = new Object();

    private final BlockingQueue<Object> queue;
    private final Duration idle;
    private final Subscription subscription;
    private Object next;
    private volatile boolean done;

    private AllStreamSubscription(KurrentDbConnection connection, Position after, String streamRegex,
                                  int capacity, Duration idle) {
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

    /**
     * The events after a position as a stream that never ends: once a subscription has caught up,
     * the next look subscribes again after the last event delivered, as Axon's JDBC engine queries
     * again. Each processor's stream reads this way (the store's shared reader is off), so what it
     * sees follows its own position only.
     */
    static Resuming resuming(KurrentDbConnection connection, Position after, String streamRegex, int capacity,
                             Duration idle) {
        return new Resuming(connection, after, streamRegex, capacity, idle);
    }

    static final class Resuming implements Iterator<RecordedEvent>, AutoCloseable {

        private final KurrentDbConnection connection;
        private final String streamRegex;
        private final int capacity;
        private final Duration idle;
        private Position after;
        private AllStreamSubscription current;

        private Resuming(KurrentDbConnection connection, Position after, String streamRegex, int capacity,
                         Duration idle) {
            this.connection = connection;
            this.after = after;
            this.streamRegex = streamRegex;
            this.capacity = capacity;
            this.idle = idle;
        }

        @Override
        public boolean hasNext() {
            if (current == null) {
                current = new AllStreamSubscription(connection, after, streamRegex, capacity, idle);
            }
            if (current.hasNext()) {
                return true;
            }
            current = null; // caught up (and closed): the next look subscribes again from here
            return false;
        }

        @Override
        public RecordedEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordedEvent event = current.next();
            after = event.getPosition();
            return event;
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (done) {
            return false;
        }
        Object item = CHECKPOINT;
        try {
            while (item == CHECKPOINT) { // the server is scanning: wait on
                item = queue.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            item = null;
        }
        if (item == null || item == CAUGHT_UP) {
            done = true;
            close();
            return false;
        }
        if (item instanceof Throwable error) {
            done = true;
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
        done = true;
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
            if (exception != null) {
                offer(exception);
            }
        }
    }

    private void offer(Object item) {
        try {
            while (!done && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // The reader is behind: wait for room, which also holds back the server.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
