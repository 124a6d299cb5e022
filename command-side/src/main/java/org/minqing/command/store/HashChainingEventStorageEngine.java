package org.minqing.command.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.minqing.api.v1.EventMetadata;
import org.minqing.command.store.chain.ChainCheckedEvents;
import org.minqing.command.store.chain.ChainHash;
import org.minqing.command.store.chain.StoredEvents;

/**
 * Puts every case event on its case's hash chain as it is appended, whatever the engine: each
 * event gets {@code chainPrevious} (its predecessor's hash, read from the store in the appending
 * transaction) and {@code chainHash} in its metadata. A concurrent writer or a retry appends at a
 * sequence the store refuses or re-reads, so a chain can never fork. Timestamps are cut to
 * milliseconds first, which every engine stores exactly, so what is hashed is what is read back.
 */
public class HashChainingEventStorageEngine implements EventStorageEngine {

    private static final Set<String> CHAIN_KEYS = Set.of(EventMetadata.CHAIN_PREVIOUS, EventMetadata.CHAIN_HASH);

    private final EventStorageEngine delegate;
    private final Serializer eventSerializer;

    public HashChainingEventStorageEngine(EventStorageEngine delegate, Serializer eventSerializer) {
        this.delegate = delegate;
        this.eventSerializer = eventSerializer;
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        Map<String, String> heads = new HashMap<>();
        List<EventMessage<?>> chained = new ArrayList<>(events.size());
        for (EventMessage<?> message : events) {
            if (!(message instanceof DomainEventMessage<?> event)) {
                chained.add(message);
                continue;
            }
            String caseId = event.getAggregateIdentifier();
            String previous = heads.computeIfAbsent(caseId, id -> hashBefore(id, event.getSequenceNumber()));
            DomainEventMessage<?> stored = new GenericDomainEventMessage<>(event.getType(), caseId,
                    event.getSequenceNumber(), event.getPayload(), event.getMetaData().withoutKeys(CHAIN_KEYS),
                    event.getIdentifier(), event.getTimestamp().truncatedTo(ChronoUnit.MILLIS));
            String hash = ChainHash.of(previous, StoredEvents.chained(stored, eventSerializer));
            heads.put(caseId, hash);
            chained.add(stored.andMetaData(Map.of(EventMetadata.CHAIN_PREVIOUS, previous, EventMetadata.CHAIN_HASH, hash)));
        }
        delegate.appendEvents(chained);
    }

    /** The stored hash of the event before {@code sequence}; genesis for the first event. */
    private String hashBefore(String caseId, long sequence) {
        if (sequence == 0) {
            return ChainHash.GENESIS;
        }
        DomainEventStream stream = delegate.readEvents(caseId, sequence - 1);
        if (!stream.hasNext() || stream.peek().getSequenceNumber() != sequence - 1) {
            // The case's latest event is gone from the store (the aggregate was cached before it
            // went): never chain past the hole.
            throw new ChainCheckedEvents.BrokenChainException(caseId, sequence - 1,
                    "the event before the one being appended is not in the store");
        }
        Object hash = stream.peek().getMetaData().get(EventMetadata.CHAIN_HASH);
        if (hash != null && ChainHash.wellFormed(hash.toString())) {
            return hash.toString();
        }
        // A predecessor written before the chain existed: start afresh; verification reports where
        // the chain begins mid-history.
        return ChainHash.GENESIS;
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(snapshot);
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return delegate.readEvents(trackingToken, mayBlock);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return delegate.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }
}
