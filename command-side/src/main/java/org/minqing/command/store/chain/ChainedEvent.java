package org.minqing.command.store.chain;

import java.time.Instant;
import java.util.SortedMap;

/**
 * One stored event as the hash chain sees it: exactly the stored fields the hash covers, plus the
 * chain record stored with it.
 *
 * @param caseId        the case (aggregate) id
 * @param sequence      the stored sequence number (0 for the report)
 * @param eventId       the event's identifier
 * @param timestamp     the stored timestamp (milliseconds are what every engine keeps)
 * @param type          the payload's type name, e.g. {@code minqing.v1.CaseDispatched}
 * @param payload       the stored payload bytes, exactly as stored (canonical protobuf JSON)
 * @param metadata      the audit metadata ({@link ChainHash#COVERED_METADATA}) present on the event
 * @param previousHash  the stored chain record: the hash this event chained from (hex), or null
 * @param hash          the stored chain record: this event's hash (hex), or null
 */
public record ChainedEvent(String caseId, long sequence, String eventId, Instant timestamp, String type,
                           byte[] payload, SortedMap<String, String> metadata, String previousHash, String hash) {
}
