package org.minqing.command.cases;

import java.time.Instant;
import java.util.Optional;

/**
 * The department's hold on the case since the latest dispatch or transfer, and its response (响应)
 * to the citizen: acknowledged and contacted, complete at the later of the two.
 *
 * @param since          when the department got the case; its contacts and visits cannot be earlier
 * @param acknowledgedAt when it acknowledged the case; null until it has
 * @param contactedAt    its first contact with the citizen (the time it reported); null until then
 */
record Assignment(Instant since, Instant acknowledgedAt, Instant contactedAt) {

    static Assignment startingAt(Instant since) {
        return new Assignment(since, null, null);
    }

    boolean acknowledged() {
        return acknowledgedAt != null;
    }

    boolean contacted() {
        return contactedAt != null;
    }

    boolean responded() {
        return acknowledged() && contacted();
    }

    Assignment acknowledgedAt(Instant at) {
        return new Assignment(since, at, contactedAt);
    }

    /** Only the first contact counts for the response. */
    Assignment contactedAt(Instant time) {
        return contacted() ? this : new Assignment(since, acknowledgedAt, time);
    }

    /** The response time if an acknowledgement at {@code now} completes the response. */
    Optional<Instant> responseOnAcknowledgementAt(Instant now) {
        return contacted() && !acknowledged() ? Optional.of(later(now, contactedAt)) : Optional.empty();
    }

    /** The response time if a contact at {@code time} completes the response. */
    Optional<Instant> responseOnContactAt(Instant time) {
        return acknowledged() && !contacted() ? Optional.of(later(time, acknowledgedAt)) : Optional.empty();
    }

    /** A time reported by the department: it cannot precede the department having the case. */
    Instant notBefore(String field, Instant time) {
        if (since != null && time.isBefore(since)) {
            throw new TimeBeforeAssignmentException(field, time, since);
        }
        return time;
    }

    private static Instant later(Instant time, Instant other) {
        return other.isAfter(time) ? other : time;
    }
}
