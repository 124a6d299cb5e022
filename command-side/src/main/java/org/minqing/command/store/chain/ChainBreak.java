package org.minqing.command.store.chain;

/**
 * The first place a case's chain breaks.
 *
 * @param sequence the position in the case's history where the break is (0-based)
 * @param eventId  the event found at that position, or null when the position is past the end
 * @param kind     how it breaks
 * @param detail   what was found, for a human
 */
public record ChainBreak(long sequence, String eventId, Kind kind, String detail) {

    public enum Kind {
        /** The event's content or chain record differs from what was hashed when it was appended. */
        ALTERED,
        /** One or more events are gone from this position on. */
        MISSING,
        /** Events at this position were never appended through the chain. */
        INSERTED,
        /** The event that belongs at this position appears later. */
        REORDERED
    }
}
