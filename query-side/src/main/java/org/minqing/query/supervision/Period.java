package org.minqing.query.supervision;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Pattern;

import org.minqing.api.requests.FieldViolations;
import org.minqing.api.v1.PeriodGranularity;

/**
 * The days a supervision query covers, in a time zone, cut into days, ISO weeks or months. A
 * fact belongs to the period its local date falls in; the first and last periods are clipped to
 * the requested days.
 */
public record Period(LocalDate start, LocalDate end, ZoneId zone, PeriodGranularity granularity) {

    /** Longest span a request may cover, first and last day included. */
    public static final int MAX_DAYS = 366;

    /** Longer than any IANA zone id (the longest is about 32 characters). */
    static final int MAX_TIME_ZONE = 64;

    private static final Pattern DATE_SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    /** Strict: 2026-02-30 is refused, not moved to the month's last day. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    /** Validates the request's period; null after adding violations. */
    public static Period parse(String startDate, String endDate, String timeZone, PeriodGranularity granularity,
                               ZoneId defaultZone, FieldViolations violations) {
        LocalDate start = date("start_date", startDate, violations);
        LocalDate end = date("end_date", endDate, violations);
        ZoneId zone = defaultZone;
        if (timeZone.length() > MAX_TIME_ZONE) {
            violations.limitText("time_zone", timeZone, MAX_TIME_ZONE);
            zone = null;
        } else if (!timeZone.isEmpty()) {
            try {
                zone = ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                violations.add("time_zone", "is not an IANA time zone such as Asia/Shanghai: "
                        + FieldViolations.quote(timeZone));
                zone = null;
            }
        }
        if (granularity == PeriodGranularity.UNRECOGNIZED) {
            violations.add("granularity", "is not a known granularity");
        }
        if (start == null || end == null || zone == null || granularity == PeriodGranularity.UNRECOGNIZED) {
            return null;
        }
        if (end.isBefore(start)) {
            violations.add("end_date", "must not be before start_date (" + start + "), was " + end);
            return null;
        }
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        if (days > MAX_DAYS) {
            violations.add("end_date", "the period may cover at most " + MAX_DAYS + " days, start_date to end_date "
                    + "inclusive; " + start + " to " + end + " is " + days);
            return null;
        }
        return new Period(start, end, zone,
                granularity == PeriodGranularity.PERIOD_GRANULARITY_UNSPECIFIED ? PeriodGranularity.PERIOD_GRANULARITY_MONTH
                        : granularity);
    }

    private static LocalDate date(String field, String value, FieldViolations violations) {
        if (value.isEmpty()) {
            violations.add(field, "is required (yyyy-mm-dd): a period must be bounded");
            return null;
        }
        // Checked before parsing: exactly yyyy-mm-dd, so years 1 to 9999 and nothing overflows later.
        if (!DATE_SHAPE.matcher(value).matches()) {
            violations.add(field, "is not a date of the form yyyy-mm-dd: " + FieldViolations.quote(value));
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(value, DATE);
            if (date.getYear() < 1) {
                violations.add(field, "must be a date in the years 0001 to 9999: " + FieldViolations.quote(value));
                return null;
            }
            return date;
        } catch (DateTimeParseException e) {
            violations.add(field, "is not a date of the form yyyy-mm-dd: " + FieldViolations.quote(value));
            return null;
        }
    }

    /** The first instant of the first day, in epoch milliseconds. */
    public long fromMillis() {
        return start.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The first instant after the last day, in epoch milliseconds. */
    public long toMillis() {
        return end.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The first day of the period holding the instant. */
    public LocalDate periodOf(long epochMillis) {
        LocalDate day = java.time.Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
        LocalDate first = switch (granularity) {
            case PERIOD_GRANULARITY_WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case PERIOD_GRANULARITY_MONTH -> day.withDayOfMonth(1);
            default -> day;
        };
        return first.isBefore(start) ? start : first;
    }

    /** The last day of the period starting on {@code first}. */
    public LocalDate periodEnd(LocalDate first) {
        LocalDate last = switch (granularity) {
            case PERIOD_GRANULARITY_WEEK -> first.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
            case PERIOD_GRANULARITY_MONTH -> first.with(TemporalAdjusters.lastDayOfMonth());
            default -> first;
        };
        return last.isAfter(end) ? end : last;
    }
}
