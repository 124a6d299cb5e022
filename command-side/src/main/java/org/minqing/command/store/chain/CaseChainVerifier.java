package org.minqing.command.store.chain;

import java.util.UUID;

import org.minqing.command.store.chain.ChainBreak.Kind;

/**
 * Verifies one case's events, fed in stored order, in constant memory: either every event chains
 * from its predecessor at its own position ({@link #headHash()}), or {@link #result()} names the
 * first break and classifies it. Classification looks only a bounded distance ({@link #WINDOW}
 * events) back and ahead; docs/audit.md gives the rules.
 */
public final class CaseChainVerifier {

    /** How far a displaced event may be from its place and still be recognised as moved. */
    public static final int WINDOW = 64;

    private long position;
    private long fed;
    /** The last verified event's hash (the genesis value's zeros at first), as four 64-bit words. */
    private long head0, head1, head2, head3;
    /** The last verified events, for recognising insertions. */
    private final Recent recent = new Recent();
    private ChainBreak result;
    /** An event that claims a later position: missing events, unless the displaced one turns up. */
    private long pendingAt = -1;
    private String pendingEventId;
    private long pendingClaim;
    private long pendingLeft;

    /** Takes the next stored event of the case; ignored once the chain is known to be broken. */
    public void accept(ChainedEvent event) {
        accept(event, null);
    }

    /**
     * As {@link #accept(ChainedEvent)}, given the event's hash computed at its stored sequence
     * ({@link ChainHash#of(String, ChainedEvent)}) when a caller has it already — one that hashes
     * events in parallel before feeding each case in order, and has found the chain record well
     * formed ({@link ChainHash#wellFormed}) to compute it. Null: checked and computed here.
     */
    public void accept(ChainedEvent event, String hashAtOwnSequence) {
        fed++;
        if (result != null) {
            return;
        }
        long at = position++;
        if (pendingAt >= 0) {
            resolvePending(event);
            return;
        }
        if (hashAtOwnSequence == null && (!ChainHash.wellFormed(event.previousHash()) || !ChainHash.wellFormed(event.hash()))) {
            result = new ChainBreak(at, event.eventId(), Kind.ALTERED, "the event has no valid chain record");
            return;
        }
        long claim = claimedSequence(event, at, hashAtOwnSequence);
        if (claim < 0) {
            result = new ChainBreak(at, event.eventId(), Kind.ALTERED,
                    "the event's content does not match its hash");
        } else if (claim == at && event.sequence() != at) {
            result = new ChainBreak(at, event.eventId(), Kind.ALTERED,
                    "the event was hashed at position " + at + " but is stored as " + event.sequence());
        } else if (claim == at && isHead(event.previousHash())) {
            String hash = event.hash();
            head0 = word(hash, 0);
            head1 = word(hash, 1);
            head2 = word(hash, 2);
            head3 = word(hash, 3);
            recent.add(head0, event.eventId());
        } else if (claim == at) {
            result = new ChainBreak(at - 1, recent.eventId(1), Kind.ALTERED,
                    "event " + at + " was chained to a different predecessor: this one was replaced");
        } else if (claim < at) {
            classifyEarlierClaim(event, at, claim);
        } else {
            pendingAt = at;
            pendingEventId = event.eventId();
            pendingClaim = claim;
            pendingLeft = Math.min(claim - at, WINDOW);
        }
    }

    /** The store could not deliver the next event at all: the chain breaks here. */
    public void unreadable(String why) {
        if (result == null) {
            result = new ChainBreak(pendingAt >= 0 ? pendingAt : position, null, Kind.ALTERED,
                    "the stored event cannot be read: " + why);
        }
    }

    /**
     * Whether a break has been found among the events fed so far. Unlike {@link #result()} it
     * leaves an event that claims a later position waiting for the next one (moved or missing).
     */
    public boolean broken() {
        return result != null;
    }

    /** The verdict once every event has been fed: null when the chain is intact. */
    public ChainBreak result() {
        if (result == null && pendingAt >= 0) {
            result = missing();
        }
        return result;
    }

    /** The hash of the last verified event (the genesis value for an empty case). */
    public String headHash() {
        return String.format("%016x%016x%016x%016x", head0, head1, head2, head3);
    }

    /** How many events were fed: all the case's stored events, once fed whole. */
    public long events() {
        return fed;
    }

    /** How many events, from the first, chain intact: all of them when the chain is intact. */
    public long verified() {
        return result == null ? fed : result.sequence();
    }

    /** The position the event's hash was computed for, near {@code at}; -1 if none matches. */
    private static long claimedSequence(ChainedEvent event, long at, String hashAtOwnSequence) {
        String own = hashAtOwnSequence != null ? hashAtOwnSequence : ChainHash.of(event.previousHash(), event);
        if (own.equals(event.hash())) {
            return event.sequence();
        }
        for (long candidate = Math.max(0, at - WINDOW); candidate <= at + WINDOW; candidate++) {
            if (candidate != event.sequence()
                    && ChainHash.of(event.previousHash(), event, candidate).equals(event.hash())) {
                return candidate;
            }
        }
        return -1;
    }

    private void classifyEarlierClaim(ChainedEvent event, long at, long claim) {
        long back = at - claim; // how many verified events sit between its place and here
        if (back <= recent.size()) {
            boolean chainsFromBefore = back < recent.size() ? recent.hashMatches((int) back + 1, word(event.previousHash(), 0))
                    : claim == 0 && event.previousHash().equals(ChainHash.GENESIS);
            if (chainsFromBefore) {
                result = new ChainBreak(claim, recent.eventId((int) back), Kind.INSERTED,
                        back + " event(s) at " + claim + " were inserted before event " + event.eventId());
                return;
            }
        }
        result = new ChainBreak(at, event.eventId(), Kind.REORDERED,
                "the event belongs at position " + claim + ", found at " + at);
    }

    private void resolvePending(ChainedEvent event) {
        if (ChainHash.wellFormed(event.previousHash()) && ChainHash.wellFormed(event.hash())
                && isHead(event.previousHash())
                && ChainHash.of(headHash(), event, pendingAt).equals(event.hash())) {
            result = new ChainBreak(pendingAt, pendingEventId, Kind.REORDERED, "the event belongs at position "
                    + pendingClaim + "; the event of position " + pendingAt + " (" + event.eventId() + ") comes after it");
        } else if (--pendingLeft <= 0) {
            result = missing();
        }
    }

    private ChainBreak missing() {
        return new ChainBreak(pendingAt, pendingEventId, Kind.MISSING, "events " + pendingAt + ".."
                + (pendingClaim - 1) + " are missing: the event found there belongs at " + pendingClaim);
    }

    private boolean isHead(String hash) {
        return word(hash, 0) == head0 && word(hash, 1) == head1 && word(hash, 2) == head2 && word(hash, 3) == head3;
    }

    /** The {@code index}th 64 bits of a well-formed hash ({@link ChainHash#wellFormed}). */
    private static long word(String hash, int index) {
        long value = 0;
        for (int i = index * 16; i < index * 16 + 16; i++) {
            value = value << 4 | ChainHash.digit(hash.charAt(i));
        }
        return value;
    }

    /**
     * The last {@link #WINDOW} verified events in a ring: the first 64 bits of each one's hash,
     * enough to tell which event a displaced one chains from (the verdict that the chain is broken
     * never rests on it), and its id — a UUID as two numbers. All numbers, so that verifying a
     * case's next event stores no reference to a new object in its long-lived state: an export's
     * verifier keeps one per case, and references from them to each event's strings were most of
     * what the collector scanned and copied.
     */
    private static final class Recent {
        private long[] hashes = new long[4];
        private long[] idHigh = new long[4];
        private long[] idLow = new long[4];
        /** Ids that are not lower-case UUIDs, by slot; null until there is one. */
        private String[] otherIds;
        private int size;
        private int next;

        void add(long hashPrefix, String eventId) {
            if (size == hashes.length && size < WINDOW) { // grow, oldest first
                int length = Math.min(size * 2, WINDOW);
                hashes = unrolled(hashes, next, new long[length]);
                idHigh = unrolled(idHigh, next, new long[length]);
                idLow = unrolled(idLow, next, new long[length]);
                otherIds = otherIds == null ? null : unrolled(otherIds, next, new String[length]);
                next = size;
            }
            hashes[next] = hashPrefix;
            if (isUuid(eventId)) {
                idHigh[next] = uuidWord(eventId, 0, 18);
                idLow[next] = uuidWord(eventId, 19, 36);
                if (otherIds != null) {
                    otherIds[next] = null;
                }
            } else {
                if (otherIds == null) {
                    otherIds = new String[hashes.length];
                }
                otherIds[next] = eventId;
            }
            next = (next + 1) % hashes.length;
            size = Math.min(size + 1, hashes.length);
        }

        int size() {
            return size;
        }

        /** The id of the event {@code back} places before the next one (1: the newest); null when none. */
        String eventId(int back) {
            if (back > size) {
                return null;
            }
            int at = index(back);
            if (otherIds != null && otherIds[at] != null) {
                return otherIds[at];
            }
            return new UUID(idHigh[at], idLow[at]).toString();
        }

        boolean hashMatches(int back, long hashPrefix) {
            return back <= size && hashes[index(back)] == hashPrefix;
        }

        private int index(int back) {
            return Math.floorMod(next - back, hashes.length);
        }

        /** Whether {@code id} is a UUID as {@link UUID#toString()} writes it, so that it can be written back. */
        private static boolean isUuid(String id) {
            if (id == null || id.length() != 36) {
                return false;
            }
            boolean canonical = true;
            for (int i = 0; i < 36; i++) {
                char c = id.charAt(i);
                canonical &= isDash(i) ? c == '-' : ChainHash.isLowerHexDigit(c);
            }
            return canonical;
        }

        /** The 16 hex digits of a UUID's characters {@code from} to {@code to}, its dashes skipped. */
        private static long uuidWord(String id, int from, int to) {
            long value = 0;
            for (int i = from; i < to; i++) {
                if (!isDash(i)) {
                    value = value << 4 | ChainHash.digit(id.charAt(i));
                }
            }
            return value;
        }

        private static boolean isDash(int i) {
            return i == 8 | i == 13 | i == 18 | i == 23;
        }

        /** The ring's slots, oldest first, copied into {@code into}: a larger array of the same kind. */
        private static <A> A unrolled(A ring, int oldest, A into) {
            int length = java.lang.reflect.Array.getLength(ring);
            System.arraycopy(ring, oldest, into, 0, length - oldest);
            System.arraycopy(ring, 0, into, length - oldest, oldest);
            return into;
        }
    }
}
