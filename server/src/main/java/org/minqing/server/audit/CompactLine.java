package org.minqing.server.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SortedMap;

import org.minqing.command.store.chain.ChainHash;
import org.minqing.command.store.chain.ChainedEvent;

/**
 * Reads an export line in the form the CLI writes it — protobuf JSON without whitespace, no
 * escapes in the fields the chain covers — by scanning its bytes once. Any other line it declines
 * (null), and {@link ExportLine} reads it with Jackson instead; what it does accept, it reads as
 * Jackson would, so the verdict never depends on which reader ran ({@code CompactLineTest} holds
 * the two against each other on mutated lines). Why a reader of our own: Jackson's general
 * parser, tokenizing and canonicalizing every name of the decoded {@code event} copy that nothing
 * verifies, took 2–4 µs a line where this takes 1.5, and far longer to compile while an
 * auditor's two cores also verify (docs/benchmarks.md).
 */
final class CompactLine {

    /** The members read, by their index in {@link #event()}; either naming of protobuf JSON. */
    private static final byte[][] FIELDS = ascii(List.of("caseId", "case_id", "sequence", "eventId", "event_id", "time",
            "type", "payload", "metadata", "previousHash", "previous_hash", "hash"));
    private static final byte[][] COVERED = ascii(ChainHash.COVERED_METADATA);
    private static final int PAYLOAD = 7;
    private static final int METADATA = 8;
    private static final int NOT_PLAIN = -2;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_NUMBER = 100;
    /** Longer lines go to Jackson, which enforces its limits on a string's length. */
    private static final int MAX_LINE = 1 << 20;

    private final byte[] bytes;
    private final int end;
    private int at;

    private CompactLine(byte[] bytes, int from, int length) {
        this.bytes = bytes;
        this.at = from;
        this.end = from + length;
    }

    /** The event on {@code bytes[from, from + length)}, or null when the line is not in the compact form. */
    static ChainedEvent read(byte[] bytes, int from, int length) {
        if (length > MAX_LINE) {
            return null;
        }
        try {
            return new CompactLine(bytes, from, length).event();
        } catch (RuntimeException declined) { // a number or a time Jackson's path also rejects: let it say so
            return null;
        }
    }

    private ChainedEvent event() {
        if (!take('{')) {
            return null;
        }
        ExportedFields event = new ExportedFields();
        if (!take('}')) {
            do {
                int field = name(FIELDS);
                if (field == NOT_PLAIN || !take(':')) {
                    return null;
                }
                boolean read;
                if (field == PAYLOAD) {
                    read = (event.payload = base64()) != null;
                } else if (field == METADATA) {
                    read = metadata(event.covered);
                } else if (field < 0) {
                    read = skipValue(0);
                } else { // one call for every string read: less code for the JIT to compile than a call per field
                    String text = plainString();
                    if (text == null) {
                        return null;
                    }
                    switch (field) {
                        case 0, 1 -> event.caseId = text;
                        case 2 -> event.sequence = Long.parseLong(text);
                        case 3, 4 -> event.eventId = text;
                        case 5 -> event.time = ExportLine.instant(text);
                        case 6 -> event.type = text;
                        case 9, 10 -> event.previousHash = text;
                        default -> event.hash = text;
                    }
                    read = true;
                }
                if (!read) {
                    return null;
                }
            } while (take(','));
            if (!take('}')) {
                return null;
            }
        }
        for (; at < end; at++) {
            if (bytes[at] != ' ' && bytes[at] != '\t' && bytes[at] != '\r') {
                return null;
            }
        }
        return event.event();
    }

    private boolean metadata(SortedMap<String, String> covered) {
        if (!take('{')) {
            return false;
        }
        if (take('}')) {
            return true;
        }
        do {
            int key = name(COVERED);
            if (key == NOT_PLAIN || !take(':')) {
                return false;
            }
            if (key >= 0) {
                String value = utf8String();
                if (value == null) {
                    return false;
                }
                covered.put(ChainHash.COVERED_METADATA.get(key), value);
            } else if (!skipString()) { // Jackson's path too wants every metadata value a string
                return false;
            }
        } while (take(','));
        return take('}');
    }

    /**
     * Which of {@code names} the next member's name is — its index, -1 for another name — read
     * without making a string of it; {@link #NOT_PLAIN} when the name has escapes or other than ASCII.
     */
    private int name(byte[][] names) {
        if (!take('"')) {
            return NOT_PLAIN;
        }
        int from = at;
        for (; at < end && bytes[at] != '"'; at++) {
            if (bytes[at] < 0x20 || bytes[at] == '\\') {
                return NOT_PLAIN;
            }
        }
        if (at == end) {
            return NOT_PLAIN;
        }
        int to = at++;
        for (int i = 0; i < names.length; i++) {
            if (Arrays.equals(bytes, from, to, names[i], 0, names[i].length)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[][] ascii(List<String> names) {
        return names.stream().map(name -> name.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    }

    /** A string of printable ASCII without escapes; null for anything else. */
    private String plainString() {
        if (!take('"')) {
            return null;
        }
        int from = at;
        return skipAscii() && take('"') ? new String(bytes, from, at - 1 - from, StandardCharsets.ISO_8859_1) : null;
    }

    /** A string without escapes, in well-formed UTF-8; null for anything else. */
    private String utf8String() {
        if (!take('"')) {
            return null;
        }
        int from = at;
        while (skipAscii()) {
            if (take('"')) {
                return new String(bytes, from, at - 1 - from, StandardCharsets.UTF_8);
            }
            if (bytes[at] >= 0 || !skipUtf8()) {
                return null;
            }
        }
        return null;
    }

    /** Passes over printable ASCII other than a quote or a backslash; false at the line's end. */
    private boolean skipAscii() {
        for (; at < end; at++) {
            byte b = bytes[at];
            if (b < 0x20 || b == '"' || b == '\\') { // negative: a byte of a multi-byte character
                return true;
            }
        }
        return false;
    }

    /** The payload: padded standard base64 (what Jackson's default variant requires), decoded. */
    private byte[] base64() {
        if (!take('"')) {
            return null;
        }
        int from = at;
        while (at < end && bytes[at] != '"') {
            at++;
        }
        if (at == end || (at - from) % 4 != 0) {
            return null;
        }
        ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(bytes, from, at++ - from));
        byte[] payload = new byte[decoded.remaining()];
        decoded.get(payload);
        return payload;
    }

    /** Passes over any JSON value nothing verifies (the decoded event, the position); false where in doubt. */
    private boolean skipValue(int depth) {
        if (at >= end || depth > MAX_DEPTH) {
            return false;
        }
        switch (bytes[at]) {
            case '"' -> {
                return skipString();
            }
            case '{' -> {
                at++;
                if (take('}')) {
                    return true;
                }
                do {
                    if (!skipString() || !take(':') || !skipValue(depth + 1)) {
                        return false;
                    }
                } while (take(','));
                return take('}');
            }
            case '[' -> {
                at++;
                if (take(']')) {
                    return true;
                }
                do {
                    if (!skipValue(depth + 1)) {
                        return false;
                    }
                } while (take(','));
                return take(']');
            }
            case 't' -> {
                return literal("true");
            }
            case 'f' -> {
                return literal("false");
            }
            case 'n' -> {
                return literal("null");
            }
            default -> {
                return skipNumber();
            }
        }
    }

    /** A string with JSON's escapes and well-formed UTF-8, passed over. */
    private boolean skipString() {
        if (!take('"')) {
            return false;
        }
        while (at < end) {
            int b = bytes[at] & 0xff;
            if (b == '"') {
                at++;
                return true;
            } else if (b == '\\') {
                if (!skipEscape()) {
                    return false;
                }
            } else if (b >= 0x80) {
                if (!skipUtf8()) {
                    return false;
                }
            } else if (b < 0x20) {
                return false;
            } else {
                at++;
            }
        }
        return false;
    }

    private boolean skipEscape() {
        if (at + 1 >= end) {
            return false;
        }
        byte escaped = bytes[at + 1];
        if (escaped == 'u') {
            if (at + 6 > end) {
                return false;
            }
            for (int i = at + 2; i < at + 6; i++) {
                if (Character.digit(bytes[i], 16) < 0) {
                    return false;
                }
            }
            at += 6;
            return true;
        }
        at += 2;
        return "\"\\/bfnrt".indexOf(escaped) >= 0;
    }

    /** One well-formed UTF-8 character of two to four bytes (RFC 3629: no overlong forms, no surrogates). */
    private boolean skipUtf8() {
        int lead = bytes[at] & 0xff;
        int count;
        int low = 0x80;
        int high = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            count = 1;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            count = 2;
            low = lead == 0xe0 ? 0xa0 : 0x80;
            high = lead == 0xed ? 0x9f : 0xbf;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            count = 3;
            low = lead == 0xf0 ? 0x90 : 0x80;
            high = lead == 0xf4 ? 0x8f : 0xbf;
        } else {
            return false;
        }
        if (at + count >= end) {
            return false;
        }
        for (int i = 1; i <= count; i++) {
            int next = bytes[at + i] & 0xff;
            if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xbf)) {
                return false;
            }
        }
        at += count + 1;
        return true;
    }

    /** A number in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    private boolean skipNumber() {
        int from = at;
        take('-');
        if (take('0')) {
            if (digit()) {
                return false;
            }
        } else if (!digits()) {
            return false;
        }
        if (take('.') && !digits()) {
            return false;
        }
        if (take('e') || take('E')) {
            if (!take('+')) {
                take('-');
            }
            if (!digits()) {
                return false;
            }
        }
        return at - from <= MAX_NUMBER;
    }

    private boolean digits() {
        int from = at;
        while (digit()) {
            at++;
        }
        return at > from;
    }

    private boolean digit() {
        return at < end && bytes[at] >= '0' && bytes[at] <= '9';
    }

    private boolean literal(String word) {
        if (at + word.length() > end) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (bytes[at + i] != word.charAt(i)) {
                return false;
            }
        }
        at += word.length();
        return true;
    }

    private boolean take(char c) {
        if (at < end && bytes[at] == c) {
            at++;
            return true;
        }
        return false;
    }
}
