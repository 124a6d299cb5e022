package org.minqing.command.store.chain;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.minqing.api.v1.EventMetadata;

/** Axon's view of a stored event → the chain's view of it. */
public final class StoredEvents {

    private StoredEvents() {
    }

    /**
     * The chain's view of {@code event}: the payload bytes as the event serializer stores them
     * (for an event read back, the stored bytes themselves: Axon hands back what it read when the
     * serializer is the one it was read with).
     */
    public static ChainedEvent chained(DomainEventMessage<?> event, Serializer eventSerializer) {
        SerializedObject<byte[]> payload = event.serializePayload(eventSerializer, byte[].class);
        Map<String, ?> metadata = event.getMetaData();
        SortedMap<String, String> covered = new TreeMap<>();
        for (String key : ChainHash.COVERED_METADATA) {
            Object value = metadata.get(key);
            if (value != null) {
                covered.put(key, value.toString());
            }
        }
        return new ChainedEvent(event.getAggregateIdentifier(), event.getSequenceNumber(), event.getIdentifier(),
                event.getTimestamp(), payload.getType().getName(), payload.getData(), covered,
                text(metadata.get(EventMetadata.CHAIN_PREVIOUS)), text(metadata.get(EventMetadata.CHAIN_HASH)));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
