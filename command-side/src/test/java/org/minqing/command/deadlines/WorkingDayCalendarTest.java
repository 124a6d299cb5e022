package org.minqing.command.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkingDayCalendarTest {

    private final WorkingDayCalendar china2026 = WorkingDayCalendar.china2026();

    @ParameterizedTest(name = "{0} is a working day: {1}")
    @CsvSource({
            "2026-03-10, true",   // Tuesday
            "2026-03-14, false",  // Saturday
            "2026-03-15, false",  // Sunday
            "2026-01-01, false",  // New Year's Day, a Thursday
            "2026-01-04, true",   // make-up Sunday
            "2026-02-14, true",   // make-up Saturday before the Spring Festival
            "2026-02-16, false",  // Spring Festival Monday
            "2026-02-23, false",  // last day of the break, a Monday
            "2026-02-24, true",
            "2026-02-28, true",   // make-up Saturday after it
            "2026-04-06, false",  // Qingming Monday
            "2026-05-05, false",  // Labour Day break Tuesday
            "2026-05-09, true",   // make-up Saturday
            "2026-06-19, false",  // Dragon Boat Friday
            "2026-09-20, true",   // make-up Sunday
            "2026-09-25, false",  // Mid-Autumn Friday
            "2026-10-07, false",  // National Day Wednesday
            "2026-10-10, true"})  // make-up Saturday
    void knowsThe2026WeekendsHolidaysAndMakeUpDays(LocalDate date, boolean working) {
        assertThat(china2026.isWorkingDay(date)).isEqualTo(working);
    }

    @Test
    void the2026MakeUpDaysAllFallOnWeekendsAndNoHolidayIsOne() {
        assertThat(WorkingDayCalendar.CHINA_2026_WORKDAYS)
                .allMatch(d -> d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY)
                .doesNotContainAnyElementsOf(WorkingDayCalendar.CHINA_2026_HOLIDAYS);
        assertThat(WorkingDayCalendar.CHINA_2026_HOLIDAYS).hasSize(3 + 9 + 3 + 5 + 3 + 3 + 7);
    }

    @Test
    void aDeadlineCrossingTheSpringFestivalSkipsTheWholeBreak() {
        // Friday 2026-02-13 10:00 Beijing: 2-14 (make-up Saturday), then the break 2-15..2-23, then 2-24.
        Instant friday = Instant.parse("2026-02-13T02:00:00Z");
        assertThat(TimeLimit.parse("2wd").addTo(friday, china2026)).isEqualTo("2026-02-24T16:00:00Z");
        // Without the holidays the same limit would end with Tuesday 2-17.
        WorkingDayCalendar plain = new WorkingDayCalendar(WorkingDayCalendar.DEFAULT_ZONE, Set.of(), Set.of());
        assertThat(TimeLimit.parse("2wd").addTo(friday, plain)).isEqualTo("2026-02-17T16:00:00Z");
    }

    @Test
    void aHolidayOnAWeekdayIsOffAndAWorkdayOnAWeekendIsOn() {
        LocalDate wednesday = LocalDate.parse("2027-03-10");
        LocalDate saturday = LocalDate.parse("2027-03-13");
        WorkingDayCalendar calendar = new WorkingDayCalendar(WorkingDayCalendar.DEFAULT_ZONE,
                Set.of(wednesday), Set.of(saturday));
        assertThat(calendar.isWorkingDay(wednesday)).isFalse();
        assertThat(calendar.isWorkingDay(saturday)).isTrue();
    }

    @Test
    void aDateBothOffAndOnIsAConfigurationError() {
        LocalDate day = LocalDate.parse("2026-02-14");
        assertThatThrownBy(() -> new WorkingDayCalendar(WorkingDayCalendar.DEFAULT_ZONE, Set.of(day), Set.of(day)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-02-14");
    }
}
