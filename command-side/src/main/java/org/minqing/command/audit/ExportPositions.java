package org.minqing.command.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.minqing.command.store.kurrentdb.KurrentDbTrackingToken;

/**
 * Export positions as clients see them: short opaque strings for each engine's tracking token —
 * {@code j:<global index>[:<gap>,<gap>…]} for the JDBC engine, {@code k:<commit>:<prepare>} for
 * KurrentDB's {@code $all}. Parsed strictly, never by class name (nothing is instantiated from input).
 */
final class ExportPositions {

    /**
     * The most gaps a position of this log can carry: Axon's JDBC engine forgets gaps more than
     * 10,000 (its default max gap offset) below the index, so no issued position has more.
     */
    static final int MAX_GAPS = 10_000;

    private ExportPositions() {
    }

    static String format(TrackingToken token) {
        if (token instanceof GapAwareTrackingToken jdbc) {
            String gaps = jdbc.getGaps().stream().map(String::valueOf).collect(Collectors.joining(","));
            return "j:" + jdbc.getIndex() + (gaps.isEmpty() ? "" : ":" + gaps);
        }
        if (token instanceof KurrentDbTrackingToken kurrent) {
            return "k:" + Long.toUnsignedString(kurrent.commitPosition()) + ":"
                    + Long.toUnsignedString(kurrent.preparePosition());
        }
        throw new IllegalStateException("no export position for " + token);
    }

    /**
     * The token for {@code position}, which must be in the log ({@code head} or before it).
     *
     * @throws IllegalArgumentException saying why it is not a valid position
     */
    static TrackingToken parse(String position, TrackingToken head) {
        String[] parts = position.split(":", -1);
        try {
            if (parts[0].equals("j") && (parts.length == 2 || parts.length == 3)
                    && (head == null || head instanceof GapAwareTrackingToken)) {
                long index = Long.parseLong(parts[1]);
                List<Long> gaps = new ArrayList<>();
                if (parts.length == 3) {
                    String[] listed = parts[2].split(",");
                    if (listed.length > MAX_GAPS) {
                        throw new IllegalArgumentException("not a position of this log: more than " + MAX_GAPS + " gaps");
                    }
                    for (String gap : listed) {
                        gaps.add(Long.parseLong(gap));
                    }
                }
                if (index < 0 || gaps.stream().anyMatch(gap -> gap < 0 || gap >= index)) {
                    throw new IllegalArgumentException("not a position of this log: " + shown(position));
                }
                if (head == null || index > ((GapAwareTrackingToken) head).getIndex()) {
                    throw new IllegalArgumentException("past the end of the log: " + shown(position));
                }
                return GapAwareTrackingToken.newInstance(index, gaps);
            }
            if (parts[0].equals("k") && parts.length == 3 && (head == null || head instanceof KurrentDbTrackingToken)) {
                long commit = Long.parseUnsignedLong(parts[1]);
                long prepare = Long.parseUnsignedLong(parts[2]);
                if (Long.compareUnsigned(prepare, commit) > 0) {
                    // A transaction's events are prepared before it commits, never after.
                    throw new IllegalArgumentException("not a position of this log: " + shown(position));
                }
                if (head == null || Long.compareUnsigned(commit, ((KurrentDbTrackingToken) head).commitPosition()) > 0) {
                    throw new IllegalArgumentException("past the end of the log: " + shown(position));
                }
                return new KurrentDbTrackingToken(commit, prepare);
            }
        } catch (NumberFormatException e) {
            // falls through to the general answer
        }
        throw new IllegalArgumentException("not a position of this log: " + shown(position));
    }

    /** The client's input, shortened: error messages travel in trailers, which clients cap at 8 KiB. */
    private static String shown(String position) {
        return position.length() <= 100 ? position : position.substring(0, 100) + "…";
    }
}
