package org.minqing.command.deadlines;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.minqing.api.v1.Urgency;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The policy bean as configured, and start-up refusing configurations that would give wrong deadlines. */
class DeadlineConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(DeadlineConfiguration.class);

    @Test
    void withoutConfigurationTheDefaultsApply() {
        context.run(ctx -> {
            DeadlinePolicy policy = ctx.getBean(DeadlinePolicy.class);
            assertThat(policy.rules()).isEqualTo(DeadlinePolicy.DEFAULT_RULES);
            assertThat(policy.calendar()).isEqualTo(WorkingDayCalendar.china2026());
        });
    }

    @Test
    void configuredRulesAndCalendarReplaceTheDefaults() {
        context.withPropertyValues(
                        "minqing.deadlines.zone=Asia/Urumqi",
                        "minqing.deadlines.holidays=2027-01-01,2027-02-08",
                        "minqing.deadlines.workdays=2027-02-06",
                        "minqing.deadlines.rules[0].categories=noise",
                        "minqing.deadlines.rules[0].urgencies=urgent,URGENCY_EMERGENCY",
                        "minqing.deadlines.rules[0].response=1h",
                        "minqing.deadlines.rules[0].resolution=3d",
                        "minqing.deadlines.rules[1].response=2d",
                        "minqing.deadlines.rules[1].resolution=13wd")
                .run(ctx -> {
                    DeadlinePolicy policy = ctx.getBean(DeadlinePolicy.class);
                    assertThat(policy.calendar()).isEqualTo(new WorkingDayCalendar(ZoneId.of("Asia/Urumqi"),
                            Set.of(LocalDate.parse("2027-01-01"), LocalDate.parse("2027-02-08")),
                            Set.of(LocalDate.parse("2027-02-06"))));
                    assertThat(policy.rules()).containsExactly(
                            new DeadlinePolicy.Rule(Set.of("noise"),
                                    Set.of(Urgency.URGENCY_URGENT, Urgency.URGENCY_EMERGENCY),
                                    TimeLimit.parse("1h"), TimeLimit.parse("3d")),
                            DeadlinePolicy.Rule.any(TimeLimit.parse("2d"), TimeLimit.parse("13wd")));
                });
    }

    @Test
    void anUnparsableLimitFailsStartUpNamingIt() {
        assertStartUpFails("minqing.deadlines.rules[1].resolution: '7days' is not a time limit",
                "minqing.deadlines.rules[0].urgencies=EMERGENCY",
                "minqing.deadlines.rules[0].response=30m",
                "minqing.deadlines.rules[0].resolution=2h",
                "minqing.deadlines.rules[1].response=24h",
                "minqing.deadlines.rules[1].resolution=7days");
    }

    @Test
    void aMissingLimitFailsStartUpNamingIt() {
        assertStartUpFails("minqing.deadlines.rules[0].response: missing",
                "minqing.deadlines.rules[0].resolution=7wd");
    }

    @Test
    void aDateBothHolidayAndWorkdayFailsStartUpNamingIt() {
        assertStartUpFails("minqing.deadlines.holidays and minqing.deadlines.workdays both list [2027-02-06]",
                "minqing.deadlines.holidays=2027-01-01,2027-02-06",
                "minqing.deadlines.workdays=2027-02-06");
    }

    @Test
    void rulesWithoutACatchAllFailStartUp() {
        assertStartUpFails("minqing.deadlines.rules: the last rule must be a catch-all",
                "minqing.deadlines.rules[0].urgencies=EMERGENCY",
                "minqing.deadlines.rules[0].response=30m",
                "minqing.deadlines.rules[0].resolution=2h");
    }

    @Test
    void anUnknownUrgencyFailsStartUpNamingIt() {
        assertStartUpFails("minqing.deadlines.rules[0].urgencies[1]: 'CRITICAL' is not an urgency",
                "minqing.deadlines.rules[0].urgencies=EMERGENCY,CRITICAL",
                "minqing.deadlines.rules[0].response=30m",
                "minqing.deadlines.rules[0].resolution=2h",
                "minqing.deadlines.rules[1].response=24h",
                "minqing.deadlines.rules[1].resolution=7wd");
    }

    @Test
    void aBadDateOrZoneFailsStartUpNamingIt() {
        assertStartUpFails("minqing.deadlines.holidays[1]: '2027-02-30' is not a date",
                "minqing.deadlines.holidays=2027-01-01,2027-02-30");
        assertStartUpFails("minqing.deadlines.zone: 'Asia/Beijing' is not a time zone",
                "minqing.deadlines.zone=Asia/Beijing");
    }

    private void assertStartUpFails(String message, String... properties) {
        context.withPropertyValues(properties).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining(message);
        });
    }
}
