package org.minqing.command.store.kurrentdb;

import java.util.OptionalLong;

import org.axonframework.eventhandling.TrackingToken;

/**
 * A tracking token that is a position in KurrentDB's {@code $all}: the commit and prepare
 * positions of the last event handled, exactly as the server reported them (never computed, so
 * always an event boundary). Resuming subscribes from it, which starts after that event.
 */
public record KurrentDbTrackingToken(long commitPosition, long preparePosition) implements TrackingToken {

    @Override
    public TrackingToken lowerBound(TrackingToken other) {
        return other == null || compare(other) <= 0 ? this : other;
    }

    @Override
    public TrackingToken upperBound(TrackingToken other) {
        return other == null || compare(other) >= 0 ? this : other;
    }

    @Override
    public boolean covers(TrackingToken other) {
        return other == null || compare(other) >= 0;
    }

    @Override
    public OptionalLong position() {
        return OptionalLong.of(commitPosition);
    }

    private int compare(TrackingToken other) {
        if (!(other instanceof KurrentDbTrackingToken that)) {
            throw new IllegalArgumentException("cannot compare a $all position with " + other);
        }
        int byCommit = Long.compareUnsigned(commitPosition, that.commitPosition);
        return byCommit != 0 ? byCommit : Long.compareUnsigned(preparePosition, that.preparePosition);
    }
}
