package org.minqing.server.audit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.SortedMap;

import org.minqing.command.audit.merkle.MerkleHashes;
import org.minqing.command.store.chain.ChainHash;
import org.minqing.command.store.chain.ChainedEvent;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;

/**
 * One NDJSON line of an export, read for verification: the fields the chain and the Merkle leaf
 * cover, taken by {@link CompactLine} from a line in the export's own form or else with Jackson's
 * streaming parser, and the event's own hash and leaf computed — the
 * per-event work, done in parallel before the chains are checked in log order. The decoded
 * {@code event} (a copy of the payload for readers) is skipped: nothing is verified from it.
 * Accepts what the CLI's export writes (protobuf JSON of {@code AuditedEvent}) under either field
 * naming; unknown fields are ignored, as by the export's protobuf parser.
 *
 * @param chained the chain's view of the event, null when the line is not an event
 * @param ownHash the event's hash computed at its stored sequence; null when its chain record is malformed
 * @param leaf    the event's Merkle leaf hash
 * @param line    the NDJSON line number (1-based)
 * @param error   why the line is not an exported event; null when it is
 */
record ExportLine(ChainedEvent chained, String ownHash, byte[] leaf, long line, String error) {

    /** Buffers recycled per worker thread: the default shared pool is contended by the workers. */
    private static final JsonFactory JSON = JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build();
    private static final HexFormat HEX = HexFormat.of();

    /** The same line, its number counted from {@code firstLine} (it was numbered from 1 in its chunk). */
    ExportLine numberedFrom(long firstLine) {
        return firstLine == 1 ? this : new ExportLine(chained, ownHash, leaf, firstLine + line - 1, error);
    }

    boolean blank() {
        return chained == null && error == null;
    }

    static ExportLine read(byte[] bytes, int from, int length, long line) {
        if (isBlank(bytes, from, length)) {
            return new ExportLine(null, null, null, line, null);
        }
        try {
            ChainedEvent event = CompactLine.read(bytes, from, length);
            if (event == null) {
                event = withJackson(bytes, from, length);
            }
            String own = ChainHash.wellFormed(event.previousHash()) && ChainHash.wellFormed(event.hash())
                    ? ChainHash.of(event.previousHash(), event) : null;
            byte[] leaf = MerkleHashes.leaf(event.caseId(), event.sequence(), chainHash(event.hash()));
            return new ExportLine(event, own, leaf, line, null);
        } catch (RuntimeException e) {
            // Jackson's, a field's or a time's complaint; whatever a damaged line provokes is the file's fault.
            return new ExportLine(null, null, null, line, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    /** The line read by Jackson's streaming parser: any form of the JSON, or an exception saying what is wrong. */
    static ChainedEvent withJackson(byte[] bytes, int from, int length) {
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), bytes, from, length)) {
            return fields(json);
        }
    }

    private static ChainedEvent fields(JsonParser json) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("not a JSON object");
        }
        ExportedFields event = new ExportedFields();
        for (String name = json.nextName(); name != null; name = json.nextName()) {
            JsonToken value = json.nextToken();
            if (value == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "caseId", "case_id" -> event.caseId = string(json, name);
                case "sequence" -> event.sequence = value == JsonToken.VALUE_NUMBER_INT ? json.getLongValue()
                        : Long.parseLong(string(json, name));
                case "eventId", "event_id" -> event.eventId = string(json, name);
                case "time" -> event.time = instant(string(json, name));
                case "type" -> event.type = string(json, name);
                case "payload" -> event.payload = json.getBinaryValue();
                case "metadata" -> metadata(json, event.covered);
                case "previousHash", "previous_hash" -> event.previousHash = string(json, name);
                case "hash" -> event.hash = string(json, name);
                default -> json.skipChildren();
            }
        }
        if (json.nextToken() != null) {
            throw new IllegalArgumentException("more than one JSON value on the line");
        }
        return event.event();
    }

    /** The covered keys of the event's metadata ({@link ChainHash#COVERED_METADATA}). */
    private static void metadata(JsonParser json, SortedMap<String, String> covered) {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("metadata is not an object");
        }
        for (String key = json.nextName(); key != null; key = json.nextName()) {
            json.nextToken();
            if (json.currentToken() != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("metadata." + key + " is not a string");
            }
            if (ChainHash.COVERED_METADATA.contains(key)) {
                covered.put(key, json.getString());
            }
        }
    }

    /**
     * RFC 3339 as protobuf JSON writes a Timestamp — {@code 2026-01-05T00:00:07.123Z}, UTC, 0, 3, 6
     * or 9 fraction digits — read directly (java.time's general parser is a sixth of a line's
     * cost); any other form is left to {@link Instant#parse}.
     */
    static Instant instant(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text);
        }
        int fraction = length - 21; // digits after the dot
        if (fraction != -1 && (fraction < 1 || fraction > 9 || text.charAt(19) != '.')) {
            return Instant.parse(text);
        }
        try {
            long day = java.time.LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10)).toEpochDay();
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            if (hour > 23 || minute > 59 || second > 59) {
                return Instant.parse(text);
            }
            int nanos = fraction <= 0 ? 0 : digits(text, 20, 20 + fraction) * (int) Math.pow(10, 9 - fraction);
            return Instant.ofEpochSecond(day * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return Instant.parse(text);
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String string(JsonParser json, String name) {
        if (json.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return json.getString();
    }

    /** The stored chain hash the leaf commits to; a damaged one gives a leaf no checkpoint has. */
    static byte[] chainHash(String hash) {
        try {
            byte[] bytes = hash == null ? new byte[0] : HEX.parseHex(hash);
            return bytes.length == 32 ? bytes : new byte[32];
        } catch (IllegalArgumentException damaged) {
            return new byte[32];
        }
    }

    private static boolean isBlank(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
