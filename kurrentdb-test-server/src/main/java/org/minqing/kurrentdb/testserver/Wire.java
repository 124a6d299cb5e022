package org.minqing.kurrentdb.testserver;

import java.util.UUID;

import com.google.protobuf.ByteString;
import io.kurrent.dbclient.proto.shared.Shared;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadResp;

/** Conversions between the log's records and the protocol's messages. */
final class Wire {

    private Wire() {
    }

    static UUID uuid(Shared.UUID wire) {
        if (wire.hasStructured()) {
            return new UUID(wire.getStructured().getMostSignificantBits(), wire.getStructured().getLeastSignificantBits());
        }
        return UUID.fromString(wire.getString());
    }

    static Shared.UUID uuid(UUID id, boolean structured) {
        if (!structured) {
            return Shared.UUID.newBuilder().setString(id.toString()).build();
        }
        return Shared.UUID.newBuilder().setStructured(Shared.UUID.Structured.newBuilder()
                .setMostSignificantBits(id.getMostSignificantBits())
                .setLeastSignificantBits(id.getLeastSignificantBits())).build();
    }

    static Shared.StreamIdentifier stream(String name) {
        return Shared.StreamIdentifier.newBuilder().setStreamName(ByteString.copyFromUtf8(name)).build();
    }

    static ReadResp event(Recorded record, boolean structuredIds) {
        ReadResp.ReadEvent.RecordedEvent event = ReadResp.ReadEvent.RecordedEvent.newBuilder()
                .setId(uuid(record.id(), structuredIds))
                .setStreamIdentifier(stream(record.stream()))
                .setStreamRevision(record.revision())
                .setCommitPosition(record.position())
                .setPreparePosition(record.position())
                .putAllMetadata(record.systemMetadata())
                .setCustomMetadata(record.customMetadata())
                .setData(record.data())
                .build();
        return ReadResp.newBuilder().setEvent(ReadResp.ReadEvent.newBuilder()
                .setEvent(event)
                .setCommitPosition(record.position())).build();
    }
}
