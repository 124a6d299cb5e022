package org.minqing.command.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.xml.XStreamSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A processor's stream must deliver every event its own position has not covered, whatever the
 * other processors' streams do. Axon's embedded store, by default, lets streams that caught up
 * read from one shared reader ({@code optimizeEventConsumption}); that reader starts from the
 * position of whichever stream was first to catch up, but files its first event under the
 * position of whichever stream is first <em>when that event arrives</em>. If the first stream
 * closed meanwhile (a processor's coordinator reopens its stream whenever it retries a batch or
 * claims a segment), the next stream picks up events read for another position: an event in a
 * gap of its own (committed a moment late, as concurrent JDBC commits are) is passed over, and
 * its token no longer records the gap. That is how a case timeline could stay one entry short
 * for good after a restart. {@link PromptEventStore} gives every stream its own reader.
 */
class SharedReaderSkipTest {

    private final GappedEngine engine = new GappedEngine();
    private EmbeddedEventStore store;

    @AfterEach
    void shutDown() {
        engine.releaseSharedReader();
        store.shutDown();
    }

    @Test
    void aStreamOfThePromptStoreDeliversTheEventInItsGapWhateverAnotherStreamDid() throws Exception {
        store = new PromptEventStore(EmbeddedEventStore.builder().storageEngine(engine), Duration.ofHours(1),
                XStreamSerializer.defaultSerializer(), caseId -> null);

        assertThat(raceTwoStreams()).containsExactly("event 2", "event 4");
    }

    /** The mechanism itself, in Axon's stock store: were this to start passing, Axon has fixed it. */
    @Test
    void theStockStoresSharedReaderHandsAStreamEventsReadForAnotherPosition() throws Exception {
        store = EmbeddedEventStore.builder().storageEngine(engine).optimizeEventConsumption(true).build();

        assertThat(raceTwoStreams()).as("event 2, in the second stream's gap, is passed over").containsExactly("event 4");
    }

    /**
     * Events 1 and 3 are in the log, 2 is still committing. One stream starts at the head (index
     * 3, as a processor started from "now" does); a second has read up to 3 with 2 as a gap. Both
     * catch up; the first closes; then 2 and 4 commit. Returns the events the second stream
     * delivers.
     */
    private List<Object> raceTwoStreams() throws Exception {
        engine.commit(1);
        engine.commit(3);
        engine.holdSharedReader();

        TrackingEventStream fromHead = store.openStream(GapAwareTrackingToken.newInstance(3, Set.of()));
        assertThat(fromHead.hasNextAvailable()).isFalse();
        // Where a shared reader exists, it has now started reading from the head stream's position.
        engine.sharedReaderStarted.await(2, TimeUnit.SECONDS);

        TrackingEventStream withGap = store.openStream(GapAwareTrackingToken.newInstance(3, Set.of(2L)));
        assertThat(withGap.hasNextAvailable()).isFalse();
        fromHead.close();

        engine.commit(2);
        engine.commit(4);
        engine.releaseSharedReader();

        List<Object> delivered = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && delivered.size() < 2) {
            if (withGap.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                delivered.add(withGap.nextAvailable().getPayload());
            }
        }
        withGap.close();
        return delivered;
    }

    /**
     * A log with JDBC's visibility: an index is seen only once committed, and a reader's token
     * records the indexes it passed as gaps (as Axon's JDBC engine does). Blocking reads (the
     * shared reader's) can be held at their start, after they have been given their position.
     */
    private static final class GappedEngine implements EventStorageEngine {

        private final ConcurrentSkipListMap<Long, DomainEventMessage<?>> committed = new ConcurrentSkipListMap<>();
        final CountDownLatch sharedReaderStarted = new CountDownLatch(1);
        private volatile CountDownLatch sharedReaderHeld = new CountDownLatch(0);

        void commit(long index) {
            committed.put(index, new GenericDomainEventMessage<>("Test", "case-" + index, 0, "event " + index));
        }

        void holdSharedReader() {
            sharedReaderHeld = new CountDownLatch(1);
        }

        void releaseSharedReader() {
            sharedReaderHeld.countDown();
        }

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            GapAwareTrackingToken from = (GapAwareTrackingToken) trackingToken;
            return StreamSupport.stream(new Spliterators.AbstractSpliterator<TrackedEventMessage<?>>(Long.MAX_VALUE, 0) {
                private GapAwareTrackingToken last = from;
                private boolean started;

                // Like Axon's batching engines: each advance reads on from the last event's token.
                @Override
                public boolean tryAdvance(Consumer<? super TrackedEventMessage<?>> action) {
                    if (!started && mayBlock) {
                        sharedReaderStarted.countDown();
                        awaitRelease();
                    }
                    started = true;
                    Optional<TrackedEventMessage<?>> next = readFrom(last).stream().findFirst();
                    next.ifPresent(event -> {
                        last = (GapAwareTrackingToken) event.trackingToken();
                        action.accept(event);
                    });
                    return next.isPresent();
                }
            }, false);
        }

        private void awaitRelease() {
            try {
                sharedReaderHeld.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private List<TrackedEventMessage<?>> readFrom(GapAwareTrackingToken token) {
            List<TrackedEventMessage<?>> read = new ArrayList<>();
            for (var entry : committed.entrySet()) {
                long index = entry.getKey();
                if (index > token.getIndex() || token.getGaps().contains(index)) {
                    token = token.advanceTo(index, 10_000);
                    read.add(new GenericTrackedDomainEventMessage<>(token, entry.getValue()));
                }
            }
            return read;
        }

        @Override
        public void appendEvents(List<? extends EventMessage<?>> events) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void storeSnapshot(DomainEventMessage<?> snapshot) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            return DomainEventStream.empty();
        }

        @Override
        public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            return Optional.empty();
        }
    }
}
