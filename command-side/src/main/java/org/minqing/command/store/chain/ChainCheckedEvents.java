package org.minqing.command.store.chain;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.serialization.Serializer;

/**
 * A case's history as the command side loads it, checked link by link as it is read: each event
 * at the next sequence, chained from the one before, and hashing to its stored hash. A break stops
 * the load with {@link BrokenChainException}, so no command is decided on — or appended to — a
 * history that was changed in the store. A snapshot first in the stream (no chain record) is
 * taken as the case up to its sequence; the events after it are checked from there.
 */
public final class ChainCheckedEvents implements DomainEventStream {

    /** The last sequence of a case that a record kept beside the log (the Merkle log's leaves) holds. */
    public interface RecordedLength {
        /** null when nothing of the case is recorded */
        Long lastSequence(String caseId);
    }

    private final DomainEventStream events;
    private final Serializer eventSerializer;
    private final RecordedLength recorded;
    private long expected = -1;
    private String head;
    private String caseId;
    private boolean endChecked;

    /**
     * @param recorded what the history must reach at least: a shorter one lost its latest events
     *                 (the chain alone cannot tell)
     */
    public ChainCheckedEvents(DomainEventStream events, Serializer eventSerializer, RecordedLength recorded) {
        this.events = events;
        this.eventSerializer = eventSerializer;
        this.recorded = recorded;
    }

    /** The stored history of a case does not verify where it was read; the message says where and how. */
    public static final class BrokenChainException extends RuntimeException {
        private final String caseId;
        private final long sequence;

        public BrokenChainException(String caseId, long sequence, String why) {
            super("case " + caseId + ": its stored history is broken at revision " + (sequence + 1) + " (" + why
                    + "); nothing is appended to it until it is restored (docs/audit.md)", null, false, false);
            this.caseId = caseId;
            this.sequence = sequence;
        }

        public String caseId() {
            return caseId;
        }

        /** The 0-based sequence where the break was found. */
        public long sequence() {
            return sequence;
        }
    }

    @Override
    public boolean hasNext() {
        if (events.hasNext()) {
            return true;
        }
        if (!endChecked && caseId != null) {
            endChecked = true;
            Long last = recorded.lastSequence(caseId);
            if (last != null && last >= expected) {
                throw new BrokenChainException(caseId, expected, "the Merkle log holds revision " + (last + 1)
                        + " of the case, which the store no longer has: its latest events were removed");
            }
        }
        return false;
    }

    @Override
    public DomainEventMessage<?> next() {
        DomainEventMessage<?> event = events.next();
        if (expected < 0 && !com.google.protobuf.Message.class.isAssignableFrom(event.getPayloadType())) {
            // the snapshot the repository starts from: the aggregate itself, not an event
            expected = event.getSequenceNumber() + 1;
            return event;
        }
        caseId = event.getAggregateIdentifier();
        if (expected < 0) {
            expected = 0;
        }
        if (event.getSequenceNumber() != expected) {
            throw new BrokenChainException(caseId, expected, "the event stored next is at sequence "
                    + event.getSequenceNumber() + ": events are missing or were put in");
        }
        ChainedEvent chained = StoredEvents.chained(event, eventSerializer);
        if (!ChainHash.wellFormed(chained.hash()) || !ChainHash.wellFormed(chained.previousHash())) {
            throw new BrokenChainException(caseId, expected, "the event has no valid chain record");
        }
        String expectedPrevious = expected == 0 ? ChainHash.GENESIS : head;
        if (expectedPrevious != null && !expectedPrevious.equals(chained.previousHash())) {
            throw new BrokenChainException(caseId, expected, "the event is not chained to the one before it");
        }
        if (!ChainHash.of(chained.previousHash(), chained).equals(chained.hash())) {
            throw new BrokenChainException(caseId, expected, "the event's content does not match its hash");
        }
        head = chained.hash();
        expected++;
        return event;
    }

    @Override
    public DomainEventMessage<?> peek() {
        return events.peek();
    }

    @Override
    public Long getLastSequenceNumber() {
        return events.getLastSequenceNumber();
    }
}
