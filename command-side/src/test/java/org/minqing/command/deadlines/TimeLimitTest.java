package org.minqing.command.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeLimitTest {

    /** Plain weeks, no holidays, Beijing time. */
    private static final WorkingDayCalendar PLAIN = new WorkingDayCalendar(ZoneId.of("Asia/Shanghai"), Set.of(), Set.of());

    @ParameterizedTest
    @CsvSource({
            "30m, 30, MINUTES, 30m",
            "2h, 2, HOURS, 2h",
            "3d, 3, DAYS, 3 days",
            "1d, 1, DAYS, 1 day",
            "7wd, 7, WORKING_DAYS, 7 working days",
            "1wd, 1, WORKING_DAYS, 1 working day",
            "' 15wd ', 15, WORKING_DAYS, 15 working days"})
    void parsesEachUnitAndReadsAsPeopleWriteIt(String spec, long amount, TimeLimit.Unit unit, String human) {
        TimeLimit limit = TimeLimit.parse(spec);

        assertThat(limit).isEqualTo(new TimeLimit(amount, unit));
        assertThat(limit.toString()).isEqualTo(human);
        assertThat(TimeLimit.parse(limit.spec())).isEqualTo(limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "h", "2x", "2 h", "1.5h", "-1h", "2H", "7 wd", "2hours"})
    void refusesWhatIsNotALimit(String spec) {
        assertThatThrownBy(() -> TimeLimit.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + spec + "' is not a time limit");
    }

    @Test
    void refusesAZeroLimit() {
        assertThatThrownBy(() -> TimeLimit.parse("0h")).hasMessageContaining("must be positive");
    }

    @Test
    void minutesAndHoursAreExactDurations() {
        Instant start = Instant.parse("2026-03-13T15:50:00Z"); // Friday 23:50 in Beijing
        assertThat(TimeLimit.parse("30m").addTo(start, PLAIN)).isEqualTo("2026-03-13T16:20:00Z");
        assertThat(TimeLimit.parse("24h").addTo(start, PLAIN)).isEqualTo("2026-03-14T15:50:00Z");
    }

    @Test
    void calendarDaysKeepTheTimeOfDayAndIgnoreWeekends() {
        Instant friday = Instant.parse("2026-03-13T02:00:00Z");
        assertThat(TimeLimit.parse("3d").addTo(friday, PLAIN)).isEqualTo("2026-03-16T02:00:00Z");
    }

    @Test
    void workingDaysEndAtMidnightOfTheNthWorkingDayAfterTheStartDate() {
        // Tuesday 2026-03-10 08:00 Beijing: the 1st working day after is Wednesday, ending at Thursday 00:00.
        Instant tuesdayMorning = Instant.parse("2026-03-10T00:00:00Z");
        assertThat(TimeLimit.parse("1wd").addTo(tuesdayMorning, PLAIN)).isEqualTo("2026-03-11T16:00:00Z");
        // Friday: Monday..Friday of next week, ending at the following Saturday 00:00.
        Instant friday = Instant.parse("2026-03-13T02:00:00Z");
        assertThat(TimeLimit.parse("5wd").addTo(friday, PLAIN)).isEqualTo("2026-03-20T16:00:00Z");
    }

    @Test
    void workingDaysCountFromTheLocalDateInTheCalendarZone() {
        // 2026-03-09T16:30Z is already Tuesday 00:30 in Beijing, but still Monday in UTC.
        Instant start = Instant.parse("2026-03-09T16:30:00Z");
        assertThat(TimeLimit.parse("1wd").addTo(start, PLAIN)).isEqualTo("2026-03-11T16:00:00Z");
        WorkingDayCalendar utc = new WorkingDayCalendar(ZoneId.of("UTC"), Set.of(), Set.of());
        assertThat(TimeLimit.parse("1wd").addTo(start, utc)).isEqualTo("2026-03-11T00:00:00Z");
    }

    @Test
    void aReportOnAWeekendCountsFromTheNextWorkingDay() {
        Instant saturday = Instant.parse("2026-03-14T02:00:00Z");
        assertThat(TimeLimit.parse("1wd").addTo(saturday, PLAIN)).isEqualTo("2026-03-16T16:00:00Z");
    }
}
