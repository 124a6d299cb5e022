package org.minqing.command.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;
import org.minqing.command.store.kurrentdb.KurrentDbTrackingToken;

/** Export positions round-trip, and anything a server would not have issued is refused, briefly. */
class ExportPositionsTest {

    private static final GapAwareTrackingToken JDBC_HEAD = GapAwareTrackingToken.newInstance(50_000, List.of());
    private static final KurrentDbTrackingToken KURRENT_HEAD = new KurrentDbTrackingToken(900, 900);

    @Test
    void issuedPositionsRoundTrip() {
        GapAwareTrackingToken withGaps = GapAwareTrackingToken.newInstance(41, List.of(7L, 9L));
        assertThat(ExportPositions.parse(ExportPositions.format(withGaps), JDBC_HEAD)).isEqualTo(withGaps);
        KurrentDbTrackingToken kurrent = new KurrentDbTrackingToken(500, 480);
        assertThat(ExportPositions.parse(ExportPositions.format(kurrent), KURRENT_HEAD)).isEqualTo(kurrent);
    }

    @Test
    void morePositionsThanTheEngineKeepsAndPreparesAfterCommitsAreRefused() {
        String gaps = LongStream.range(0, ExportPositions.MAX_GAPS + 1).mapToObj(String::valueOf)
                .collect(Collectors.joining(","));
        assertThatThrownBy(() -> ExportPositions.parse("j:40000:" + gaps, JDBC_HEAD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 10000 gaps")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        assertThatThrownBy(() -> ExportPositions.parse("k:100:101", KURRENT_HEAD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a position");
        assertThatThrownBy(() -> ExportPositions.parse("j:" + "9".repeat(5_000), JDBC_HEAD))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
}
