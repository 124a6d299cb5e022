package org.minqing.command.cases;

import static org.minqing.api.v1.ProtoTime.instant;

import java.time.Instant;

import org.minqing.api.v1.DeadlineKind;
import org.minqing.api.v1.Deadlines;

/**
 * The case's deadlines (时限) as they stand: the ones the latest dispatch, transfer, reopen or
 * approved extension set, whether each has been breached, and the extension waiting for a
 * supervisor. New deadlines supersede the old ones, their breaches and any extension asked for
 * against them.
 *
 * @param requested the deadline of the extension request waiting for a supervisor; null when none is
 */
record DeadlinesInForce(Instant response, boolean responseBreached, Instant resolution, boolean resolutionBreached,
                        Instant requested) {

    static final DeadlinesInForce NONE = new DeadlinesInForce(null, false, null, false, null);

    /** A reopen's deadlines have no response deadline: the response was given. */
    static DeadlinesInForce of(Deadlines deadlines) {
        return new DeadlinesInForce(deadlines.hasResponseDeadline() ? instant(deadlines.getResponseDeadline()) : null,
                false, deadlines.hasResolutionDeadline() ? instant(deadlines.getResolutionDeadline()) : null, false,
                null);
    }

    /**
     * Whether {@code deadline} of this kind is the one in force and not yet breached (and, for the
     * response, the response not yet given): a late or repeated timer finds it is not.
     */
    boolean breachable(DeadlineKind kind, Instant deadline, boolean responded) {
        return switch (kind) {
            case DEADLINE_KIND_RESPONSE -> deadline.equals(response) && !responseBreached && !responded;
            case DEADLINE_KIND_RESOLUTION -> deadline.equals(resolution) && !resolutionBreached;
            default -> false;
        };
    }

    DeadlinesInForce breached(DeadlineKind kind) {
        return kind == DeadlineKind.DEADLINE_KIND_RESPONSE
                ? new DeadlinesInForce(response, true, resolution, resolutionBreached, requested)
                : new DeadlinesInForce(response, responseBreached, resolution, true, requested);
    }

    DeadlinesInForce extensionRequested(Instant deadline) {
        return new DeadlinesInForce(response, responseBreached, resolution, resolutionBreached, deadline);
    }

    /** The approved deadline is the resolution deadline now, not yet breached. */
    DeadlinesInForce extensionApproved(Instant deadline) {
        return new DeadlinesInForce(response, responseBreached, deadline, false, null);
    }

    DeadlinesInForce noExtensionPending() {
        return new DeadlinesInForce(response, responseBreached, resolution, resolutionBreached, null);
    }
}
