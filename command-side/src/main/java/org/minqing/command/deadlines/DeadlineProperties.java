package org.minqing.command.deadlines;

import java.time.LocalDate;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The deadline policy as configured under {@code minqing.deadlines}. Anything left out takes the
 * defaults of {@link DeadlinePolicy#DEFAULT_RULES} and {@link WorkingDayCalendar#china2026()}; a
 * list that is configured replaces its default entirely. {@link DeadlineConfiguration} checks it all
 * at start-up. For example:
 *
 * <pre>
 * minqing.deadlines:
 *   zone: Asia/Shanghai
 *   holidays: [2027-01-01]
 *   workdays: []
 *   rules:
 *     - urgencies: [EMERGENCY]
 *       response: 30m
 *       resolution: 2h
 *     - response: 24h          # the catch-all: no categories, no urgencies
 *       resolution: 7wd
 * </pre>
 *
 * @param zone     time zone of the working-day calendar, where a day begins and ends; default Asia/Shanghai
 * @param holidays dates off ({@code yyyy-mm-dd}), e.g. the State Council's public holidays; default 2026's
 * @param workdays make-up working days on weekends (调休, {@code yyyy-mm-dd}); default 2026's. A date may not
 *                 be both a holiday and a workday
 * @param rules    the time-limit rules, in order; the first that matches a case applies, and the last must
 *                 match every case (no categories, no urgencies)
 * @param reopenWindow how long after closing a case may be reopened (重办); default 30 days
 */
@ConfigurationProperties("minqing.deadlines")
public record DeadlineProperties(String zone, List<String> holidays, List<String> workdays, List<Rule> rules,
                                 Duration reopenWindow) {

    public DeadlineProperties {
        zone = zone == null ? WorkingDayCalendar.DEFAULT_ZONE.getId() : zone;
        holidays = holidays == null ? dates(WorkingDayCalendar.CHINA_2026_HOLIDAYS) : List.copyOf(holidays);
        workdays = workdays == null ? dates(WorkingDayCalendar.CHINA_2026_WORKDAYS) : List.copyOf(workdays);
        rules = rules == null ? DeadlinePolicy.DEFAULT_RULES.stream().map(Rule::of).toList() : List.copyOf(rules);
        reopenWindow = reopenWindow == null ? DeadlinePolicy.DEFAULT_REOPEN_WINDOW : reopenWindow;
    }

    /** Everything at its default. */
    public static DeadlineProperties defaults() {
        return new DeadlineProperties(null, null, null, null, null);
    }

    /**
     * One rule.
     *
     * @param categories case categories it applies to, compared case-insensitively; empty or left out: any
     * @param urgencies  urgencies it applies to: EMERGENCY, URGENT, NORMAL, COMPLEX (the API's names with or
     *                   without the {@code URGENCY_} prefix); empty or left out: any
     * @param response   time to acknowledge and contact the citizen: {@code 30m}, {@code 2h}, {@code 3d}
     *                   (calendar days) or {@code 7wd} (working days)
     * @param resolution time to resolve, in the same form
     */
    public record Rule(List<String> categories, List<String> urgencies, String response, String resolution) {

        public Rule {
            categories = categories == null ? List.of() : List.copyOf(categories);
            urgencies = urgencies == null ? List.of() : List.copyOf(urgencies);
        }

        static Rule of(DeadlinePolicy.Rule rule) {
            return new Rule(rule.categories().stream().sorted().toList(),
                    rule.urgencies().stream().sorted().map(u -> u.name().substring("URGENCY_".length())).toList(),
                    rule.response().spec(), rule.resolution().spec());
        }
    }

    private static List<String> dates(List<LocalDate> dates) {
        return dates.stream().map(LocalDate::toString).toList();
    }
}
