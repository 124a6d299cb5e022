package org.minqing.command.store.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.minqing.api.v1.EventMetadata;

/**
 * The per-case hash chain, version 1 (docs/audit.md states it byte by byte): SHA-256 over
 * length-prefixed fields — a version label, the previous event's hash, the case id, the sequence,
 * the event id, the timestamp in epoch milliseconds, the payload type, the stored payload bytes and
 * the audit metadata sorted by key. The first event of a case chains from 32 zero bytes.
 */
public final class ChainHash {

    public static final String VERSION = "minqing-chain-v1";
    public static final String GENESIS = "0".repeat(64);
    /** The metadata an event's hash covers; the chain keys themselves are not covered. */
    public static final List<String> COVERED_METADATA = List.of(
            EventMetadata.ACTOR_ID, EventMetadata.ACTOR_ORGANIZATION, EventMetadata.ACTOR_ROLE,
            EventMetadata.CAUSATION_ID, EventMetadata.CORRELATION_ID, EventMetadata.METHOD,
            EventMetadata.PARTNER_SYSTEM, EventMetadata.REQUEST_ID).stream().sorted().toList();

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] VERSION_BYTES = VERSION.getBytes(StandardCharsets.UTF_8);
    private static final boolean[] LOWER_HEX = lowerHexDigits();

    private ChainHash() {
    }

    /** The hash of {@code event} chained from {@code previousHash} (hex), as lowercase hex. */
    public static String of(String previousHash, ChainedEvent event) {
        return of(previousHash, event, event.sequence());
    }

    /** As {@link #of(String, ChainedEvent)}, with the event taken to be at {@code sequence}. */
    public static String of(String previousHash, ChainedEvent event, long sequence) {
        Fields fields = new Fields(512 + event.payload().length);
        fields.add(VERSION_BYTES);
        fields.add(HEX.parseHex(previousHash));
        fields.add(event.caseId());
        fields.add(Long.toString(sequence));
        fields.add(event.eventId());
        fields.add(Long.toString(event.timestamp().toEpochMilli()));
        fields.add(event.type());
        fields.add(event.payload());
        fields.add(Integer.toString(event.metadata().size()));
        for (Map.Entry<String, String> entry : event.metadata().entrySet()) {
            fields.add(entry.getKey());
            fields.add(entry.getValue());
        }
        MessageDigest sha = Sha256.newDigest();
        sha.update(fields.bytes, 0, fields.length);
        return HEX.formatHex(sha.digest());
    }

    /**
     * The length-prefixed fields (4-byte big-endian length, then the bytes), gathered to be hashed
     * in one update: a dozen small updates cost more than hashing the bytes.
     */
    private static final class Fields {
        private byte[] bytes;
        private int length;

        Fields(int capacity) {
            bytes = new byte[capacity];
        }

        /** A string's UTF-8 bytes; an ASCII one (ids, names, numbers) written in place, without a copy. */
        void add(String value) {
            int size = value.length();
            room(size);
            for (int i = 0; i < size; i++) {
                char c = value.charAt(i);
                if (c >= 0x80) {
                    add(value.getBytes(StandardCharsets.UTF_8));
                    return;
                }
                bytes[length + 4 + i] = (byte) c;
            }
            prefix(size);
            length += 4 + size;
        }

        void add(byte[] value) {
            room(value.length);
            prefix(value.length);
            System.arraycopy(value, 0, bytes, length + 4, value.length);
            length += 4 + value.length;
        }

        private void room(int size) {
            if (length + 4 + size > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + 4 + size));
            }
        }

        private void prefix(int size) {
            bytes[length] = (byte) (size >>> 24);
            bytes[length + 1] = (byte) (size >>> 16);
            bytes[length + 2] = (byte) (size >>> 8);
            bytes[length + 3] = (byte) size;
        }
    }

    /**
     * Whether {@code value} is a hash as stored: 64 lowercase hex digits. Without a branch per
     * character: a hash's digits and letters are random, and a mispredicted branch on each of them
     * cost more than the chain's SHA-256 when exports are verified.
     */
    public static boolean wellFormed(String value) {
        if (value == null || value.length() != 64) {
            return false;
        }
        boolean hex = true;
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            hex &= isLowerHexDigit(c);
        }
        return hex;
    }

    static boolean isLowerHexDigit(char c) {
        return c < 128 & LOWER_HEX[c & 0x7f];
    }

    /** A lower-case hex digit's value, without a branch: {@code c & 0xf}, and 9 more for a letter (bit 6). */
    static int digit(char c) {
        return (c & 0xf) + 9 * (c >>> 6);
    }

    private static boolean[] lowerHexDigits() {
        boolean[] digits = new boolean[128];
        for (char c : "0123456789abcdef".toCharArray()) {
            digits[c] = true;
        }
        return digits;
    }
}
