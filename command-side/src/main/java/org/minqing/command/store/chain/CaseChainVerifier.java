package org.minqing.command.store.chain;

import java.util.ArrayDeque;
import java.util.Deque;

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
    private String head = ChainHash.GENESIS;
    /** The last verified events (hash and id), newest last, for recognising insertions. */
    private final Deque<String[]> recent = new ArrayDeque<>();
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
     * events in parallel before feeding each case in order. Null: computed here.
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
        if (!ChainHash.wellFormed(event.previousHash()) || !ChainHash.wellFormed(event.hash())) {
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
        } else if (claim == at && event.previousHash().equals(head)) {
            head = event.hash();
            recent.addLast(new String[] {event.hash(), event.eventId()});
            if (recent.size() > WINDOW) {
                recent.removeFirst();
            }
        } else if (claim == at) {
            String[] previous = recent.peekLast();
            result = new ChainBreak(at - 1, previous == null ? null : previous[1], Kind.ALTERED,
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
        return head;
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
            String[][] window = recent.toArray(new String[0][]);
            String[] firstIntruder = window[window.length - (int) back];
            String before = window.length - (int) back - 1 >= 0 ? window[window.length - (int) back - 1][0]
                    : (claim == 0 ? ChainHash.GENESIS : null);
            if (event.previousHash().equals(before)) {
                result = new ChainBreak(claim, firstIntruder[1], Kind.INSERTED,
                        back + " event(s) at " + claim + " were inserted before event " + event.eventId());
                return;
            }
        }
        result = new ChainBreak(at, event.eventId(), Kind.REORDERED,
                "the event belongs at position " + claim + ", found at " + at);
    }

    private void resolvePending(ChainedEvent event) {
        if (ChainHash.wellFormed(event.previousHash()) && ChainHash.wellFormed(event.hash())
                && event.previousHash().equals(head)
                && ChainHash.of(head, event, pendingAt).equals(event.hash())) {
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
}
