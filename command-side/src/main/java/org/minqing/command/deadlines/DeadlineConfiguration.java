package org.minqing.command.deadlines;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.minqing.api.v1.Urgency;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the {@link DeadlinePolicy} from {@link DeadlineProperties}, and refuses to start on a
 * configuration that would silently give wrong deadlines, naming the offending property. The
 * exception naming it is the root cause (its message carries the detail), so it is what start-up
 * failure reports end with.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeadlineProperties.class)
public class DeadlineConfiguration {

    private static final String PREFIX = "minqing.deadlines.";

    /** With the category register's deadline classes where a register runs in this process. */
    @Bean
    public DeadlinePolicy deadlinePolicy(DeadlineProperties properties, ObjectProvider<DeadlineClasses> classes) {
        return policyFrom(properties).withClasses(classes.getIfAvailable(() -> DeadlineClasses.OWN));
    }

    /**
     * @throws IllegalStateException naming the property at fault: an unknown zone, an unparsable date or
     *                               limit, an unknown urgency, a date both holiday and workday, or rules
     *                               without a final catch-all
     */
    public static DeadlinePolicy policyFrom(DeadlineProperties properties) {
        ZoneId zone = zone(properties.zone());
        Set<LocalDate> holidays = dates("holidays", properties.holidays());
        Set<LocalDate> workdays = dates("workdays", properties.workdays());
        Set<LocalDate> both = new TreeSet<>(holidays);
        both.retainAll(workdays);
        if (!both.isEmpty()) {
            throw new IllegalStateException(PREFIX + "holidays and " + PREFIX + "workdays both list " + both
                    + ": a day is either off or on");
        }
        List<DeadlinePolicy.Rule> rules = new ArrayList<>();
        for (int i = 0; i < properties.rules().size(); i++) {
            rules.add(rule(PREFIX + "rules[" + i + "].", properties.rules().get(i)));
        }
        if (properties.reopenWindow().isNegative()) {
            throw new IllegalStateException(PREFIX + "reopen-window: must not be negative, was " + properties.reopenWindow());
        }
        try {
            return new DeadlinePolicy(rules, new WorkingDayCalendar(zone, holidays, workdays), properties.reopenWindow());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(PREFIX + "rules: " + e.getMessage());
        }
    }

    private static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalStateException(PREFIX + "zone: '" + zone + "' is not a time zone, e.g. Asia/Shanghai ("
                    + e.getMessage() + ")");
        }
    }

    private static Set<LocalDate> dates(String property, List<String> texts) {
        Set<LocalDate> dates = new LinkedHashSet<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                dates.add(LocalDate.parse(texts.get(i).strip()));
            } catch (DateTimeException e) {
                throw new IllegalStateException(PREFIX + property + "[" + i + "]: '" + texts.get(i)
                        + "' is not a date (yyyy-mm-dd): " + e.getMessage());
            }
        }
        return dates;
    }

    private static DeadlinePolicy.Rule rule(String path, DeadlineProperties.Rule rule) {
        Set<Urgency> urgencies = new LinkedHashSet<>();
        for (int i = 0; i < rule.urgencies().size(); i++) {
            urgencies.add(urgency(path + "urgencies[" + i + "]", rule.urgencies().get(i)));
        }
        return new DeadlinePolicy.Rule(Set.copyOf(rule.categories()), urgencies,
                limit(path + "response", rule.response()), limit(path + "resolution", rule.resolution()));
    }

    private static Urgency urgency(String path, String text) {
        String name = text.strip().toUpperCase(Locale.ROOT);
        try {
            Urgency urgency = Urgency.valueOf(name.startsWith("URGENCY_") ? name : "URGENCY_" + name);
            if (urgency != Urgency.UNRECOGNIZED) {
                return urgency;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalStateException(path + ": '" + text + "' is not an urgency (EMERGENCY, URGENT, NORMAL, COMPLEX)");
    }

    private static TimeLimit limit(String path, String text) {
        if (text == null) {
            throw new IllegalStateException(path + ": missing; write e.g. 2h or 7wd");
        }
        try {
            return TimeLimit.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(path + ": " + e.getMessage());
        }
    }
}
