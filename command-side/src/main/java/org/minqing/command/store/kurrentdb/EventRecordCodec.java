package org.minqing.command.store.kurrentdb;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.RecordedEvent;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.LazyDeserializingObject;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How an Axon domain event becomes a KurrentDB event and back.
 *
 * <ul>
 *   <li>event type: the payload's serialized type ({@code minqing.v1.CaseReported}); data: the
 *       serializer's bytes (canonical JSON), stored and returned untouched, content type JSON;</li>
 *   <li>event id: Axon's event identifier (a UUID), so an append that is sent again carries the
 *       same ids and the server recognises it;</li>
 *   <li>metadata: a JSON object with keys sorted: the event's own metadata (actor, correlation,
 *       request id, …) as is, {@code $correlationId}/{@code $causationId} for the server's
 *       correlation projections, and {@code axon.*} keys for what Axon needs back (aggregate type,
 *       its own timestamp, the identifier if it is not a UUID, the payload revision).</li>
 * </ul>
 * The stream revision is the aggregate's sequence number, so it is not stored again.
 */
final class EventRecordCodec {

    static final String AGGREGATE_TYPE = "axon.aggregateType";
    static final String TIMESTAMP = "axon.timestamp";
    static final String IDENTIFIER = "axon.eventIdentifier";
    static final String REVISION = "axon.payloadRevision";
    static final String SEQUENCE = "axon.sequenceNumber";
    private static final String CORRELATION = "$correlationId";
    private static final String CAUSATION = "$causationId";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Serializer serializer;
    private final JsonMapper json = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private final String correlationKey;
    private final String causationKey;
    private final boolean sequenceInMetadata;

    /**
     * @param serializer     payloads (events: protobuf JSON; snapshots: Jackson)
     * @param correlationKey the metadata key copied to {@code $correlationId}
     * @param causationKey   the metadata key copied to {@code $causationId}
     * @param sequenceInMetadata whether the aggregate's sequence number is stored in the metadata
     *                       (snapshots: their stream's revision counts snapshots, not events)
     */
    EventRecordCodec(Serializer serializer, String correlationKey, String causationKey, boolean sequenceInMetadata) {
        this.serializer = serializer;
        this.correlationKey = correlationKey;
        this.causationKey = causationKey;
        this.sequenceInMetadata = sequenceInMetadata;
    }

    EventData encode(DomainEventMessage<?> event) {
        SerializedObject<byte[]> payload = serializer.serialize(event.getPayload(), byte[].class);
        Map<String, Object> metadata = new TreeMap<>(event.getMetaData());
        metadata.put(AGGREGATE_TYPE, event.getType());
        metadata.put(TIMESTAMP, event.getTimestamp().toString());
        if (sequenceInMetadata) {
            metadata.put(SEQUENCE, event.getSequenceNumber());
        }
        if (payload.getType().getRevision() != null) {
            metadata.put(REVISION, payload.getType().getRevision());
        }
        UUID id = eventId(event.getIdentifier());
        if (!id.toString().equals(event.getIdentifier())) {
            metadata.put(IDENTIFIER, event.getIdentifier());
        }
        copy(event.getMetaData(), correlationKey, metadata, CORRELATION);
        copy(event.getMetaData(), causationKey, metadata, CAUSATION);
        return EventDataBuilder.json(id, payload.getType().getName(), payload.getData())
                .metadataAsBytes(json.writeValueAsBytes(metadata))
                .build();
    }

    /** The record as Axon's snapshot filters see stored entries: its aggregate type and payload type and revision. */
    DomainEventData<byte[]> stored(String aggregateIdentifier, RecordedEvent recorded) {
        Map<String, Object> metadata = json.readValue(recorded.getUserMetadata(), MAP);
        Object revision = metadata.get(REVISION);
        Object sequence = metadata.get(SEQUENCE);
        return new GenericDomainEventEntry<>((String) metadata.get(AGGREGATE_TYPE), aggregateIdentifier,
                sequence instanceof Number number ? number.longValue() : recorded.getRevision(),
                recorded.getEventId().toString(), recorded.getCreated(), recorded.getEventType(),
                revision == null ? null : revision.toString(), recorded.getEventData(), recorded.getUserMetadata());
    }

    /**
     * When the application recorded the event (Axon's timestamp, in its metadata, by the
     * application's clock as the other engines' timestamps are); empty for a record this engine did
     * not write, such as the server's own.
     */
    Optional<Instant> recordedAt(RecordedEvent recorded) {
        byte[] metadata = recorded.getUserMetadata();
        if (metadata == null || metadata.length == 0) {
            return Optional.empty();
        }
        try {
            Object timestamp = json.readValue(metadata, MAP).get(TIMESTAMP);
            return timestamp instanceof String text ? Optional.of(Instant.parse(text)) : Optional.empty();
        } catch (RuntimeException notOurs) {
            return Optional.empty();
        }
    }

    DomainEventMessage<?> decode(String aggregateIdentifier, RecordedEvent recorded) {
        Map<String, Object> metadata = json.readValue(recorded.getUserMetadata(), MAP);
        String aggregateType = (String) metadata.remove(AGGREGATE_TYPE);
        String timestamp = (String) metadata.remove(TIMESTAMP);
        Object revision = metadata.remove(REVISION);
        Object identifier = metadata.remove(IDENTIFIER);
        Object sequence = metadata.remove(SEQUENCE);
        metadata.remove(CORRELATION);
        metadata.remove(CAUSATION);
        // Decoded lazily, as Axon's own engines do: the stored bytes stay available (the audit hash
        // covers them) and a damaged payload fails only whoever reads it.
        LazyDeserializingObject<Object> payload = new LazyDeserializingObject<>(new SimpleSerializedObject<>(
                recorded.getEventData(), byte[].class,
                new SimpleSerializedType(recorded.getEventType(), revision == null ? null : revision.toString())),
                serializer);
        long sequenceNumber = sequence instanceof Number number ? number.longValue() : recorded.getRevision();
        SerializedMessage<Object> message = new SerializedMessage<>(
                identifier != null ? identifier.toString() : recorded.getEventId().toString(),
                payload, new LazyDeserializingObject<>(MetaData.from(metadata)));
        return new GenericDomainEventMessage<>(aggregateType, aggregateIdentifier, sequenceNumber, message,
                timestamp != null ? Instant.parse(timestamp) : recorded.getCreated());
    }

    /** Axon's identifiers are UUIDs; anything else maps to a stable name-based UUID. */
    static UUID eventId(String identifier) {
        try {
            UUID parsed = UUID.fromString(identifier);
            if (parsed.toString().equals(identifier)) {
                return parsed;
            }
        } catch (IllegalArgumentException notAUuid) {
            // fall through
        }
        return UUID.nameUUIDFromBytes(identifier.getBytes(StandardCharsets.UTF_8));
    }

    private static void copy(Map<String, ?> from, String key, Map<String, Object> to, String as) {
        Object value = key == null ? null : from.get(key);
        if (value != null) {
            to.put(as, value.toString());
        }
    }
}
