package org.minqing.command.audit;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.serialization.Serializer;
import org.minqing.api.v1.ProtoTime;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.EventMetadata;
import org.minqing.command.store.chain.ChainHash;
import org.minqing.command.store.chain.ChainedEvent;
import org.minqing.command.store.chain.StoredEvents;

/**
 * Stored events ↔ {@link AuditedEvent}, the form auditors receive and export. Built defensively:
 * a damaged event still comes out with whatever could be read, so it is reported, not fatal.
 */
public final class AuditedEvents {

    private AuditedEvents() {
    }

    static AuditedEvent of(DomainEventMessage<?> event, Serializer eventSerializer) {
        AuditedEvent.Builder audited = AuditedEvent.newBuilder()
                .setCaseId(event.getAggregateIdentifier())
                .setSequence(event.getSequenceNumber())
                .setEventId(event.getIdentifier());
        try {
            ChainedEvent chained = StoredEvents.chained(event, eventSerializer);
            audited.setTime(timestamp(chained.timestamp()))
                    .setType(chained.type())
                    .setPayload(ByteString.copyFrom(chained.payload()));
            if (chained.previousHash() != null) {
                audited.setPreviousHash(chained.previousHash());
            }
            if (chained.hash() != null) {
                audited.setHash(chained.hash());
            }
            for (Map.Entry<String, ?> entry : event.getMetaData().entrySet()) {
                if (!entry.getKey().equals(EventMetadata.CHAIN_HASH) && !entry.getKey().equals(EventMetadata.CHAIN_PREVIOUS)
                        && entry.getValue() != null) {
                    audited.putMetadata(entry.getKey(), entry.getValue().toString());
                }
            }
            if (event.getPayload() instanceof Message message) {
                audited.setEvent(Any.pack(message));
            }
        } catch (RuntimeException damaged) {
            // Left partly empty: verification reports the event as altered.
        }
        return audited.build();
    }

    /** The chain's view of an audited event (received from the server or read from an export). */
    public static ChainedEvent chained(AuditedEvent event) {
        SortedMap<String, String> covered = new TreeMap<>();
        for (String key : ChainHash.COVERED_METADATA) {
            String value = event.getMetadataMap().get(key);
            if (value != null) {
                covered.put(key, value);
            }
        }
        Instant time = ProtoTime.instant(event.getTime());
        return new ChainedEvent(event.getCaseId(), event.getSequence(), event.getEventId(), time, event.getType(),
                event.getPayload().toByteArray(), covered,
                event.getPreviousHash().isEmpty() ? null : event.getPreviousHash(),
                event.getHash().isEmpty() ? null : event.getHash());
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
