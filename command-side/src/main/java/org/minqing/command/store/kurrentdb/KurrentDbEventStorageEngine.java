package org.minqing.command.store.kurrentdb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterators;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.kurrent.dbclient.AppendToStreamOptions;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ReadAllOptions;
import io.kurrent.dbclient.ReadResult;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.StreamMetadata;
import io.kurrent.dbclient.StreamNotFoundException;
import io.kurrent.dbclient.StreamState;
import io.kurrent.dbclient.WriteResult;
import io.kurrent.dbclient.WrongExpectedVersionException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's {@link EventStorageEngine} on KurrentDB (EventStoreDB).
 *
 * <ul>
 *   <li>An aggregate's events live in the stream {@code <prefix><aggregate id>}, computed, never
 *       looked up; its sequence numbers are the stream's revisions.</li>
 *   <li>A unit of work's events for one aggregate are one atomic append, expecting the revision
 *       before its first event ({@code no stream} for a new aggregate): a concurrent writer gets
 *       {@link ConcurrencyException} (or {@link AggregateStreamCreationException} for a new one), as
 *       from Axon's own engines. An append whose answer was
 *       lost is sent once more with the same event ids and expectation, which the server treats as
 *       the same append.</li>
 *   <li>Snapshots live in {@code <snapshot prefix><aggregate id>}; only the latest is read.</li>
 *   <li>Tracking reads {@code $all} through a subscription filtered on the server by the stream
 *       prefix; the token is the {@code $all} position of the last event handled.</li>
 * </ul>
 */
public class KurrentDbEventStorageEngine implements EventStorageEngine {

    private static final Logger log = LoggerFactory.getLogger(KurrentDbEventStorageEngine.class);
    private static final int APPEND_ATTEMPTS = 2;

    private final KurrentDbConnection connection;
    private final KurrentDbProperties properties;
    private final EventRecordCodec events;
    private final EventRecordCodec snapshots;
    private final SnapshotFilter snapshotFilter;
    private final String trackedStreams;

    /** @param snapshotFilter which stored snapshots may be used (Axon's aggregates' filters: their {@code @Revision}) */
    public KurrentDbEventStorageEngine(KurrentDbConnection connection, KurrentDbProperties properties,
                                       EventRecordCodec events, EventRecordCodec snapshots,
                                       SnapshotFilter snapshotFilter) {
        this.connection = connection;
        this.properties = properties;
        this.events = events;
        this.snapshots = snapshots;
        this.snapshotFilter = snapshotFilter;
        this.trackedStreams = "^" + properties.streamPrefix().replaceAll("([^A-Za-z0-9_])", "\\\\$1");
    }

    public String streamName(String aggregateIdentifier) {
        return properties.streamPrefix() + aggregateIdentifier;
    }

    public String snapshotStreamName(String aggregateIdentifier) {
        return properties.snapshotPrefix() + aggregateIdentifier;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> messages) {
        Map<String, List<DomainEventMessage<?>>> byAggregate = new LinkedHashMap<>();
        for (EventMessage<?> message : messages) {
            if (!(message instanceof DomainEventMessage<?> event)) {
                throw new EventStoreException("the KurrentDB engine stores aggregates' events only, not "
                        + message.getPayloadType().getName());
            }
            byAggregate.computeIfAbsent(event.getAggregateIdentifier(), id -> new ArrayList<>()).add(event);
        }
        // One atomic append per aggregate. A unit of work that changes two aggregates (a merge)
        // makes two appends; see docs/eventstoredb.md for what that means.
        byAggregate.forEach(this::append);
    }

    private void append(String aggregateIdentifier, List<DomainEventMessage<?>> aggregateEvents) {
        long first = aggregateEvents.get(0).getSequenceNumber();
        List<EventData> data = new ArrayList<>(aggregateEvents.size());
        for (int i = 0; i < aggregateEvents.size(); i++) {
            DomainEventMessage<?> event = aggregateEvents.get(i);
            if (event.getSequenceNumber() != first + i) {
                throw new EventStoreException("events of " + aggregateIdentifier + " are not consecutive at "
                        + event.getSequenceNumber());
            }
            data.add(events.encode(event));
        }
        StreamState expected = first == 0 ? StreamState.noStream() : StreamState.streamRevision(first - 1);
        String stream = streamName(aggregateIdentifier);
        for (int attempt = 1; ; attempt++) {
            try {
                connection.await(connection.client().appendToStream(stream, AppendToStreamOptions.get()
                        .streamState(expected).deadline(connection.timeout().toMillis()), data.iterator()),
                        "append to " + stream);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WrongExpectedVersionException conflict && first == 0) {
                    // As Axon's own engines report it: the aggregate already exists.
                    throw new AggregateStreamCreationException("cannot create " + stream + ": it already exists",
                            conflict);
                }
                if (e.getCause() instanceof WrongExpectedVersionException conflict) {
                    throw new ConcurrencyException("stream " + stream + " is at " + conflict.getActualState()
                            + ", expected " + expected + ": another writer appended first", conflict);
                }
                int limit = KurrentDbConnection.maximumAppendSizeExceeded(e.getCause());
                if (limit >= 0) {
                    throw new EventStoreException("cannot append to " + stream + ": its " + data.size() + " event(s) are"
                            + " larger than KurrentDB's maximum append size (" + limit + " bytes, the server's"
                            + " MaxAppendSize)", e.getCause());
                }
                throw new EventStoreException("cannot append to " + stream + ": " + e.getCause().getMessage(), e.getCause());
            } catch (org.minqing.command.store.EventStoreUnavailableException unavailable) {
                // The answer was lost or never came: the same ids and expectation again are either a
                // no-op (it was written) or the append itself (it was not).
                if (attempt >= APPEND_ATTEMPTS) {
                    throw unavailable;
                }
                log.warn("append to {} failed ({}); sending it again", stream, unavailable.getMessage());
            }
        }
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        String stream = streamName(aggregateIdentifier);
        StreamPages pages = new StreamPages(stream, firstSequenceNumber);
        Stream<DomainEventMessage<?>> decoded = StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(pages, 0), false)
                .map(recorded -> events.decode(aggregateIdentifier, recorded));
        return DomainEventStream.of(decoded, pages::lastRevision);
    }

    /** Reads a stream forwards in pages, lazily. */
    private final class StreamPages implements Iterator<RecordedEvent> {
        private final String stream;
        private long nextRevision;
        private Iterator<RecordedEvent> page = java.util.Collections.emptyIterator();
        private boolean exhausted;
        private Long lastRevision;

        StreamPages(String stream, long from) {
            this.stream = stream;
            this.nextRevision = Math.max(0, from);
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && !exhausted) {
                List<RecordedEvent> read = readPage();
                exhausted = read.size() < properties.readBatchSize();
                page = read.iterator();
            }
            return page.hasNext();
        }

        @Override
        public RecordedEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordedEvent event = page.next();
            lastRevision = event.getRevision();
            nextRevision = event.getRevision() + 1;
            return event;
        }

        Long lastRevision() {
            return lastRevision;
        }

        private List<RecordedEvent> readPage() {
            try {
                ReadResult result = connection.await(connection.client().readStream(stream, ReadStreamOptions.get()
                        .forwards().fromRevision(nextRevision).maxCount(properties.readBatchSize())
                        .deadline(connection.timeout().toMillis())), "read " + stream);
                return result.getEvents().stream().map(ResolvedEvent::getOriginalEvent).toList();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StreamNotFoundException) {
                    return List.of();
                }
                throw new EventStoreException("cannot read " + stream + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return lastOf(streamName(aggregateIdentifier)).map(RecordedEvent::getRevision);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        String stream = snapshotStreamName(snapshot.getAggregateIdentifier());
        try {
            WriteResult written = connection.await(connection.client().appendToStream(stream, AppendToStreamOptions.get()
                    .streamState(StreamState.any()).deadline(connection.timeout().toMillis()),
                    snapshots.encode(snapshot)), "store a snapshot in " + stream);
            if (written.getNextExpectedRevision().toRawLong() == 0) {
                // A new snapshot stream: let the server drop all but the latest few.
                StreamMetadata metadata = new StreamMetadata();
                metadata.setMaxCount((long) properties.snapshotsKept());
                connection.await(connection.client().setStreamMetadata(stream, metadata), "limit " + stream);
            }
        } catch (ExecutionException | RuntimeException e) {
            // A snapshot is an optimisation: the events remain the truth.
            int limit = KurrentDbConnection.maximumAppendSizeExceeded(e instanceof ExecutionException ? e.getCause() : e);
            if (limit >= 0) {
                log.warn("the snapshot of {} is larger than KurrentDB's maximum append size ({} bytes, the server's"
                        + " MaxAppendSize): not stored; the case is loaded from its earlier snapshot and the events"
                        + " after it", snapshot.getAggregateIdentifier(), limit);
            } else {
                log.warn("could not store a snapshot of {}: {}", snapshot.getAggregateIdentifier(), e.getMessage());
            }
        }
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        try {
            return lastOf(snapshotStreamName(aggregateIdentifier))
                    .filter(recorded -> snapshotFilter.allow(snapshots.stored(aggregateIdentifier, recorded)))
                    .map(recorded -> snapshots.decode(aggregateIdentifier, recorded))
                    .map(snapshot -> {
                        snapshot.getPayload(); // decode now: a damaged snapshot is ignored here, not on load
                        return snapshot;
                    });
        } catch (RuntimeException e) {
            log.warn("ignoring the snapshot of {}: {}", aggregateIdentifier, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<RecordedEvent> lastOf(String stream) {
        try {
            ReadResult result = connection.await(connection.client().readStream(stream, ReadStreamOptions.get()
                    .backwards().fromEnd().maxCount(1).deadline(connection.timeout().toMillis())), "read " + stream);
            return result.getEvents().stream().findFirst().map(ResolvedEvent::getOriginalEvent);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return Optional.empty();
            }
            throw new EventStoreException("cannot read " + stream + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        Position after = null;
        if (trackingToken != null) {
            if (!(trackingToken instanceof KurrentDbTrackingToken token)) {
                throw new IllegalArgumentException("not a KurrentDB $all position: " + trackingToken);
            }
            after = new Position(token.commitPosition(), token.preparePosition());
        }
        Duration idle = mayBlock ? connection.timeout() : Duration.ofMillis(Math.min(500, connection.timeout().toMillis()));
        AllStreamSubscription subscription = new AllStreamSubscription(connection, after, trackedStreams,
                properties.readBatchSize(), idle);
        int prefix = properties.streamPrefix().length();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(subscription, 0), false)
                .map(recorded -> (TrackedEventMessage<?>) new GenericTrackedDomainEventMessage<>(
                        new KurrentDbTrackingToken(recorded.getPosition().getCommitUnsigned(),
                                recorded.getPosition().getPrepareUnsigned()),
                        events.decode(recorded.getStreamId().substring(prefix), recorded)))
                .onClose(subscription::close);
    }

    @Override
    public TrackingToken createTailToken() {
        return null; // the start of $all: a subscription from the start includes the first event
    }

    @Override
    public TrackingToken createHeadToken() {
        List<RecordedEvent> last = readAllBackwards(null, 1);
        return last.isEmpty() ? null : token(last.get(0));
    }

    /**
     * The position of the last event recorded before {@code dateTime}, so that tracking from it
     * starts with the first event at or after that instant. Times are the events' own (Axon's
     * timestamp, by the application's clock, as the JDBC engine's), not the server's {@code
     * created}: a server whose clock is off would move the token by as much. Records this engine
     * did not write are passed over. A linear scan backwards from the end of {@code $all}: its
     * cost grows with the events since then.
     */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        Position before = null;
        while (true) {
            List<RecordedEvent> page = readAllBackwards(before, properties.readBatchSize());
            for (RecordedEvent event : page) {
                if (events.recordedAt(event).filter(at -> at.isBefore(dateTime)).isPresent()) {
                    return token(event);
                }
            }
            if (page.size() < properties.readBatchSize()) {
                return null; // nothing before that instant: from the start
            }
            before = page.get(page.size() - 1).getPosition();
        }
    }

    /** Events of $all before a position (or from the end), newest first. */
    private List<RecordedEvent> readAllBackwards(Position before, int count) {
        // One more than asked, in case the server's backward read includes its start (dropped below).
        ReadAllOptions options = ReadAllOptions.get().backwards().maxCount(before == null ? count : count + 1L)
                .deadline(connection.timeout().toMillis());
        options = before == null ? options.fromEnd() : options.fromPosition(before);
        try {
            List<RecordedEvent> read = connection.await(connection.client().readAll(options), "read $all")
                    .getEvents().stream().map(ResolvedEvent::getOriginalEvent).toList();
            if (before == null) {
                return read;
            }
            // Whether a backward read includes its start position is not the engine's concern.
            return read.stream().filter(e -> Long.compareUnsigned(e.getPosition().getCommitUnsigned(),
                    before.getCommitUnsigned()) < 0).toList();
        } catch (ExecutionException e) {
            throw new EventStoreException("cannot read $all: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static KurrentDbTrackingToken token(RecordedEvent event) {
        return new KurrentDbTrackingToken(event.getPosition().getCommitUnsigned(), event.getPosition().getPrepareUnsigned());
    }
}
