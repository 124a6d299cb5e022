package org.minqing.command.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;
import org.minqing.command.store.chain.ChainCheckedEvents;

/**
 * Axon's embedded event store, changed so that projections see a command's events milliseconds
 * after it commits rather than half a second later: its streams tell the pooled processors when
 * events may have arrived ({@link TrackingEventStream#setOnAvailableCallback}) — after the unit of
 * work that stored them has committed its transaction — where the stock streams leave Axon's
 * coordinator polling every 500 ms. Events appended by other processes are found by polling every
 * {@code poll-interval}.
 *
 * <p>Every stream reads the store itself: Axon's shared reader for streams that caught up
 * ({@code optimizeEventConsumption}) is turned off, because it can hand a stream events read for
 * another stream's position, and a stream then passes over an event in one of its own gaps for
 * good (SharedReaderSkipTest shows how). Each processor's wake-up costs a query of its own instead.
 *
 * <p>It checks each case's history as its aggregate loads ({@link #readEvents(String)}), and it notes, in the root unit of work, the events a command applies as it applies them
 * ({@link #appliedIn}), so the command's outcome (its case's revision and the event types) is
 * known before the unit of work commits: Axon stages published events privately until then.
 */
public class PromptEventStore extends EmbeddedEventStore {

    private static final String APPLIED = PromptEventStore.class.getName() + ".applied";

    private final Set<NotifyingStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller;
    private final Serializer eventSerializer;
    private final ChainCheckedEvents.RecordedLength recorded;

    /**
     * @param builder         configured as Axon would (engine, monitor, tracing)
     * @param pollInterval    how often the streams are told to look for events appended by other processes
     * @param eventSerializer what the chain hashes are computed over, to check a case's history as it loads
     * @param recorded        how far the Merkle log knows each case's history to reach
     */
    public PromptEventStore(EmbeddedEventStore.Builder builder, Duration pollInterval, Serializer eventSerializer,
                            ChainCheckedEvents.RecordedLength recorded) {
        super(builder.optimizeEventConsumption(false));
        this.eventSerializer = eventSerializer;
        this.recorded = recorded;
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-store-poller");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> streams.forEach(NotifyingStream::notifyAvailable),
                pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A case's history for its aggregate, checked link by link as the repository reads it
     * ({@link ChainCheckedEvents}): a command is never decided on a history changed in the store.
     */
    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        return new ChainCheckedEvents(super.readEvents(aggregateIdentifier), eventSerializer, recorded);
    }

    /** The events published so far in the unit of work (its root's), in order; empty when none. */
    public static List<EventMessage<?>> appliedIn(UnitOfWork<?> unitOfWork) {
        List<EventMessage<?>> applied = unitOfWork.root().getResource(APPLIED);
        return applied == null ? List.of() : applied;
    }

    @Override
    public void publish(List<? extends EventMessage<?>> events) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().<List<EventMessage<?>>>getOrComputeResource(APPLIED, key -> new ArrayList<>())
                    .addAll(events);
        }
        super.publish(events);
    }

    /** Called in the unit of work's after-commit phase: its transaction has committed. */
    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        streams.forEach(NotifyingStream::notifyAvailable);
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new NotifyingStream(super.openStream(trackingToken));
    }

    @Override
    public void shutDown() {
        poller.shutdownNow();
        super.shutDown();
    }

    /**
     * A stream that calls its processor back when events may be available. The processor's
     * coordinator is its only reader; the callback merely schedules the coordinator.
     */
    private final class NotifyingStream implements TrackingEventStream {

        private final TrackingEventStream delegate;
        private volatile Runnable onAvailable;

        NotifyingStream(TrackingEventStream delegate) {
            this.delegate = delegate;
        }

        void notifyAvailable() {
            Runnable callback = onAvailable;
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            onAvailable = callback;
            streams.add(this);
            return true;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            streams.remove(this);
            delegate.close();
        }
    }
}
