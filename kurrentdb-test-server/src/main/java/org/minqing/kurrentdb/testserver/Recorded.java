package org.minqing.kurrentdb.testserver;

import java.util.Map;
import java.util.UUID;

import com.google.protobuf.ByteString;

/**
 * One event in the log, as the server stores it: its stream and revision, its place in {@code $all}
 * (commit and prepare positions are equal; {@code next} is where the following record starts, as for every event a single-node server commits in one
 * append), and the system metadata the server adds ({@code created}, in .NET ticks).
 */
record Recorded(String stream, long revision, UUID id, long position, long next, Map<String, String> systemMetadata,
                ByteString customMetadata, ByteString data) {

    String type() {
        return systemMetadata.get("type");
    }

    boolean isSystem() {
        return stream.startsWith("$");
    }
}
