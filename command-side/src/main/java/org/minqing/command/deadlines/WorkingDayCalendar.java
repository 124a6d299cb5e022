package org.minqing.command.deadlines;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which days are working days, in which time zone. Saturdays and Sundays are off, holidays are off,
 * and make-up working days (调休) are on even when they fall on a weekend.
 *
 * @param zone     the zone that says where a day begins and ends
 * @param holidays dates off that would otherwise be working days (weekend dates may be listed too)
 * @param workdays weekend dates that are working days
 */
public record WorkingDayCalendar(ZoneId zone, Set<LocalDate> holidays, Set<LocalDate> workdays) {

    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    /**
     * 2026 from the State Council General Office's notice on 2026 holidays (国务院办公厅关于2026年部分节假日安排的通知,
     * 2025-11-04). Holidays are the notice's whole 放假调休 ranges. Check these against the notice, and
     * configure each new year's dates when it is published (usually in November).
     */
    public static final List<LocalDate> CHINA_2026_HOLIDAYS = List.copyOf(concat(
            range("2026-01-01", "2026-01-03"),   // 元旦
            range("2026-02-15", "2026-02-23"),   // 春节
            range("2026-04-04", "2026-04-06"),   // 清明节
            range("2026-05-01", "2026-05-05"),   // 劳动节
            range("2026-06-19", "2026-06-21"),   // 端午节
            range("2026-09-25", "2026-09-27"),   // 中秋节
            range("2026-10-01", "2026-10-07"))); // 国庆节

    /** The make-up working days (调休上班) of the same notice. */
    public static final List<LocalDate> CHINA_2026_WORKDAYS = List.of(
            LocalDate.parse("2026-01-04"),
            LocalDate.parse("2026-02-14"), LocalDate.parse("2026-02-28"),
            LocalDate.parse("2026-05-09"),
            LocalDate.parse("2026-09-20"), LocalDate.parse("2026-10-10"));

    public WorkingDayCalendar {
        if (zone == null) {
            throw new IllegalArgumentException("a working-day calendar needs a zone");
        }
        holidays = Set.copyOf(holidays == null ? Set.of() : holidays);
        workdays = Set.copyOf(workdays == null ? Set.of() : workdays);
        Set<LocalDate> both = new TreeSet<>(holidays);
        both.retainAll(workdays);
        if (!both.isEmpty()) {
            // A day cannot be both off and on: almost always a typo in the configuration.
            throw new IllegalArgumentException("listed both as holiday and as workday: " + both);
        }
    }

    /** China's working days of 2026 in Asia/Shanghai. */
    public static WorkingDayCalendar china2026() {
        return new WorkingDayCalendar(DEFAULT_ZONE, Set.copyOf(CHINA_2026_HOLIDAYS), Set.copyOf(CHINA_2026_WORKDAYS));
    }

    public boolean isWorkingDay(LocalDate date) {
        if (workdays.contains(date)) {
            return true;
        }
        if (holidays.contains(date)) {
            return false;
        }
        DayOfWeek day = date.getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }

    private static List<LocalDate> range(String first, String last) {
        return LocalDate.parse(first).datesUntil(LocalDate.parse(last).plusDays(1)).toList();
    }

    @SafeVarargs
    private static List<LocalDate> concat(List<LocalDate>... ranges) {
        List<LocalDate> all = new ArrayList<>();
        for (List<LocalDate> range : ranges) {
            all.addAll(range);
        }
        return all;
    }
}
