package org.minqing.command.deadlines;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time limit as the rules state it: minutes ({@code 30m}), hours ({@code 2h}), calendar days
 * ({@code 3d}) or working days ({@code 7wd}).
 *
 * @param amount how many units; positive
 * @param unit   what is counted
 */
public record TimeLimit(long amount, Unit unit) {

    private static final Pattern SPEC = Pattern.compile("(\\d{1,6})(m|h|d|wd)");

    /** What a limit counts. */
    public enum Unit {
        MINUTES("m"), HOURS("h"), DAYS("d"), WORKING_DAYS("wd");

        private final String suffix;

        Unit(String suffix) {
            this.suffix = suffix;
        }
    }

    public TimeLimit {
        if (amount <= 0) {
            throw new IllegalArgumentException("a time limit must be positive, not " + amount);
        }
        if (unit == null) {
            throw new IllegalArgumentException("a time limit needs a unit");
        }
    }

    /** Parses {@code 30m}, {@code 2h}, {@code 3d} or {@code 7wd}. */
    public static TimeLimit parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + spec + "' is not a time limit; write e.g. 30m, 2h, 3d or 7wd "
                    + "(minutes, hours, calendar days, working days)");
        }
        long amount = Long.parseLong(m.group(1));
        for (Unit unit : Unit.values()) {
            if (unit.suffix.equals(m.group(2))) {
                return new TimeLimit(amount, unit);
            }
        }
        throw new AssertionError("pattern and units disagree: " + spec);
    }

    /**
     * The deadline this limit gives for something that started at {@code start}. Minutes and hours
     * are exact durations; calendar days keep the local time of day; working days end at the end
     * (midnight) of the n-th working day after the start's local date, so a case reported late in
     * the day still gets n whole working days.
     */
    public Instant addTo(Instant start, WorkingDayCalendar calendar) {
        return switch (unit) {
            case MINUTES -> start.plus(Duration.ofMinutes(amount));
            case HOURS -> start.plus(Duration.ofHours(amount));
            case DAYS -> start.atZone(calendar.zone()).plusDays(amount).toInstant();
            case WORKING_DAYS -> {
                LocalDate day = start.atZone(calendar.zone()).toLocalDate();
                for (long counted = 0; counted < amount; ) {
                    day = day.plusDays(1);
                    if (calendar.isWorkingDay(day)) {
                        counted++;
                    }
                }
                yield day.plusDays(1).atStartOfDay(calendar.zone()).toInstant();
            }
        };
    }

    /** The form {@link #parse} reads, e.g. {@code 7wd}. */
    public String spec() {
        return amount + unit.suffix;
    }

    /** The form people read and events record, e.g. {@code 2h} or {@code 7 working days}. */
    @Override
    public String toString() {
        return switch (unit) {
            case MINUTES, HOURS -> spec();
            case DAYS -> amount + (amount == 1 ? " day" : " days");
            case WORKING_DAYS -> amount + (amount == 1 ? " working day" : " working days");
        };
    }
}
