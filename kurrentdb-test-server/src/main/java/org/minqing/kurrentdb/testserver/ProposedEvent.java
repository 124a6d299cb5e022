package org.minqing.kurrentdb.testserver;

import java.util.Map;
import java.util.UUID;

import com.google.protobuf.ByteString;

/** An event as a client proposes it in an append: the server assigns its revision and position. */
record ProposedEvent(UUID id, Map<String, String> metadata, ByteString customMetadata, ByteString data) {
}
