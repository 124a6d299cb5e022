package org.minqing.command.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.minqing.api.v1.ProtoTime;
import org.minqing.api.v1.Deadlines;
import org.minqing.api.v1.Urgency;

class DeadlinePolicyTest {

    private final DeadlinePolicy defaults = DeadlinePolicy.defaults();

    @ParameterizedTest(name = "{0} / {1}: respond {2}, resolve {3}")
    @CsvSource({
            "roads,   URGENCY_EMERGENCY,   30m, 2h",
            "water,   URGENCY_EMERGENCY,   30m, 2h",
            "water,   URGENCY_NORMAL,      2h,  24h",
            "Power,   URGENCY_COMPLEX,     2h,  24h",
            "' gas ', URGENCY_UNSPECIFIED, 2h,  24h",
            "heating, URGENCY_URGENT,      2h,  24h",
            "roads,   URGENCY_URGENT,      2h,  24h",
            "roads,   URGENCY_NORMAL,      24h, 7 working days",
            "roads,   URGENCY_COMPLEX,     24h, 15 working days",
            "roads,   URGENCY_UNSPECIFIED, 24h, 7 working days",
            "'',      URGENCY_NORMAL,      24h, 7 working days"})
    void theDefaultsFollowThe12345Norm(String category, Urgency urgency, String response, String resolution) {
        Deadlines deadlines = defaults.deadlinesFor(category, urgency, Instant.parse("2026-03-10T02:00:00Z"));

        assertThat(deadlines.getResponseLimit()).isEqualTo(response);
        assertThat(deadlines.getResolutionLimit()).isEqualTo(resolution);
    }

    @Test
    void deadlinesAreCountedFromTheGivenInstantOnTheCalendar() {
        Instant from = Instant.parse("2026-04-03T02:00:00Z"); // Friday before Qingming (4-4..4-6)

        Deadlines deadlines = defaults.deadlinesFor("roads", Urgency.URGENCY_NORMAL, from);

        assertThat(ProtoTime.instant(deadlines.getResponseDeadline())).isEqualTo("2026-04-04T02:00:00Z");
        // 4-7..4-10, 4-13..4-15 → end of Wednesday 4-15 in Beijing
        assertThat(ProtoTime.instant(deadlines.getResolutionDeadline())).isEqualTo("2026-04-15T16:00:00Z");
    }

    @Test
    void aReopenedCaseGetsOnlyAResolutionDeadline() {
        Instant from = Instant.parse("2026-03-10T02:00:00Z");

        Deadlines deadlines = defaults.resolutionDeadlineFor("water", Urgency.URGENCY_NORMAL, from);

        assertThat(deadlines.getResolutionLimit()).isEqualTo("24h");
        assertThat(ProtoTime.instant(deadlines.getResolutionDeadline())).isEqualTo("2026-03-11T02:00:00Z");
        assertThat(deadlines.getResponseLimit()).isEmpty();
        assertThat(deadlines.hasResponseDeadline()).isFalse();
    }

    @Test
    void theFirstMatchingRuleWins() {
        DeadlinePolicy policy = new DeadlinePolicy(List.of(
                new DeadlinePolicy.Rule(Set.of("noise"), Set.of(Urgency.URGENCY_URGENT), TimeLimit.parse("1h"),
                        TimeLimit.parse("4h")),
                new DeadlinePolicy.Rule(Set.of("noise"), Set.of(), TimeLimit.parse("3h"), TimeLimit.parse("3d")),
                DeadlinePolicy.Rule.any(TimeLimit.parse("1d"), TimeLimit.parse("10wd"))),
                WorkingDayCalendar.china2026());

        assertThat(policy.ruleFor("noise", Urgency.URGENCY_URGENT).response()).isEqualTo(TimeLimit.parse("1h"));
        assertThat(policy.ruleFor("NOISE", Urgency.URGENCY_NORMAL).response()).isEqualTo(TimeLimit.parse("3h"));
        assertThat(policy.ruleFor("roads", Urgency.URGENCY_URGENT).response()).isEqualTo(TimeLimit.parse("1d"));
    }

    @Test
    void rulesWithoutAFinalCatchAllAreRefused() {
        DeadlinePolicy.Rule emergency = new DeadlinePolicy.Rule(Set.of(), Set.of(Urgency.URGENCY_EMERGENCY),
                TimeLimit.parse("30m"), TimeLimit.parse("2h"));
        assertThatThrownBy(() -> new DeadlinePolicy(List.of(emergency), WorkingDayCalendar.china2026()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the last rule must be a catch-all");
        assertThatThrownBy(() -> new DeadlinePolicy(List.of(), WorkingDayCalendar.china2026()))
                .hasMessageContaining("the last rule must be a catch-all");
    }

    @Test
    void aCatchAllBeforeTheLastRuleIsRefusedBecauseTheRestWouldNeverApply() {
        DeadlinePolicy.Rule any = DeadlinePolicy.Rule.any(TimeLimit.parse("1d"), TimeLimit.parse("7wd"));
        assertThatThrownBy(() -> new DeadlinePolicy(List.of(any, any), WorkingDayCalendar.china2026()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rule 0 is a catch-all");
    }
}
