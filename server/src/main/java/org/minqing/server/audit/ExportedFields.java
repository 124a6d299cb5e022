package org.minqing.server.audit;

import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;

import org.minqing.command.store.chain.ChainedEvent;

/**
 * The fields of an exported event as a line's reader collects them, starting from what protobuf
 * JSON leaves out when a field holds its default. Both readers ({@link CompactLine} and Jackson's
 * path in {@link ExportLine}) fill one, so they agree on what an absent field means.
 */
final class ExportedFields {

    String caseId = "";
    long sequence;
    String eventId = "";
    Instant time = Instant.EPOCH;
    String type = "";
    byte[] payload = new byte[0];
    /** The covered keys of the event's metadata ({@link org.minqing.command.store.chain.ChainHash#COVERED_METADATA}). */
    final SortedMap<String, String> covered = new TreeMap<>();
    String previousHash = "";
    String hash = "";

    /** The event; an absent chain record (empty) as null. */
    ChainedEvent event() {
        return new ChainedEvent(caseId, sequence, eventId, time, type, payload, covered,
                previousHash.isEmpty() ? null : previousHash, hash.isEmpty() ? null : hash);
    }
}
