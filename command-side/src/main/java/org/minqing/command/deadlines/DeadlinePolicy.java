package org.minqing.command.deadlines;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.minqing.api.v1.ProtoTime;
import org.minqing.api.v1.Deadlines;
import org.minqing.api.v1.Urgency;

/**
 * The time limits a case gets from its category and urgency: an ordered list of rules where the
 * first match wins and the last rule matches everything, counted against a working-day calendar.
 * Deadlines are computed once, when a case is dispatched, transferred or reopened, and recorded in
 * the event, so replaying history never depends on today's configuration.
 */
public final class DeadlinePolicy {

    /**
     * One rule. Empty categories or urgencies match any; categories compare case-insensitively.
     *
     * @param categories the case categories it applies to
     * @param urgencies  the urgencies it applies to
     * @param response   time to acknowledge and contact the citizen
     * @param resolution time to resolve
     */
    public record Rule(Set<String> categories, Set<Urgency> urgencies, TimeLimit response, TimeLimit resolution) {

        public Rule {
            categories = categories == null ? Set.of()
                    : categories.stream().map(Rule::normalize).collect(Collectors.toUnmodifiableSet());
            urgencies = urgencies == null ? Set.of() : Set.copyOf(urgencies);
            if (response == null || resolution == null) {
                throw new IllegalArgumentException("a rule needs a response and a resolution limit");
            }
        }

        public static Rule any(TimeLimit response, TimeLimit resolution) {
            return new Rule(Set.of(), Set.of(), response, resolution);
        }

        public boolean isCatchAll() {
            return categories.isEmpty() && urgencies.isEmpty();
        }

        boolean matches(String category, Urgency urgency) {
            return (categories.isEmpty() || categories.contains(normalize(category)))
                    && (urgencies.isEmpty() || urgencies.contains(urgency));
        }

        private static String normalize(String category) {
            return category == null ? "" : category.strip().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The defaults, after Beijing's 12345 norm (domain.md, Deadlines): emergencies 2 h; water, power,
     * gas and heating 24 h; urgent 24 h; complex 15 working days; everything else 7 working days.
     */
    public static final List<Rule> DEFAULT_RULES = List.of(
            new Rule(Set.of(), Set.of(Urgency.URGENCY_EMERGENCY), TimeLimit.parse("30m"), TimeLimit.parse("2h")),
            new Rule(Set.of("water", "power", "gas", "heating"), Set.of(), TimeLimit.parse("2h"), TimeLimit.parse("24h")),
            new Rule(Set.of(), Set.of(Urgency.URGENCY_URGENT), TimeLimit.parse("2h"), TimeLimit.parse("24h")),
            new Rule(Set.of(), Set.of(Urgency.URGENCY_COMPLEX), TimeLimit.parse("24h"), TimeLimit.parse("15wd")),
            Rule.any(TimeLimit.parse("24h"), TimeLimit.parse("7wd")));

    /** How long after closing a case may still be reopened (重办) by default. */
    public static final Duration DEFAULT_REOPEN_WINDOW = Duration.ofDays(30);

    private final List<Rule> rules;
    private final WorkingDayCalendar calendar;
    private final Duration reopenWindow;
    private final DeadlineClasses classes;

    /** With the default reopen window. */
    public DeadlinePolicy(List<Rule> rules, WorkingDayCalendar calendar) {
        this(rules, calendar, DEFAULT_REOPEN_WINDOW);
    }

    /**
     * @param reopenWindow how long after closing a citizen's renewed complaint may still reopen the case
     * @throws IllegalArgumentException unless the last rule, and only the last, is a catch-all
     */
    public DeadlinePolicy(List<Rule> rules, WorkingDayCalendar calendar, Duration reopenWindow) {
        if (rules == null || rules.isEmpty() || !rules.get(rules.size() - 1).isCatchAll()) {
            throw new IllegalArgumentException(
                    "the last rule must be a catch-all (no categories, no urgencies) so every case gets deadlines");
        }
        for (int i = 0; i < rules.size() - 1; i++) {
            if (rules.get(i).isCatchAll()) {
                throw new IllegalArgumentException("rule " + i + " is a catch-all, so the rules after it never apply");
            }
        }
        if (calendar == null) {
            throw new IllegalArgumentException("a deadline policy needs a working-day calendar");
        }
        if (reopenWindow == null || reopenWindow.isNegative()) {
            throw new IllegalArgumentException("the reopen window must not be negative");
        }
        this.rules = List.copyOf(rules);
        this.calendar = calendar;
        this.reopenWindow = reopenWindow;
        this.classes = DeadlineClasses.OWN;
    }

    private DeadlinePolicy(DeadlinePolicy policy, DeadlineClasses classes) {
        this.rules = policy.rules;
        this.calendar = policy.calendar;
        this.reopenWindow = policy.reopenWindow;
        this.classes = classes;
    }

    /** The same policy, matching each category's rules by its deadline class. */
    public DeadlinePolicy withClasses(DeadlineClasses classes) {
        return new DeadlinePolicy(this, classes);
    }

    /** How long after closing a case may be reopened; later, a renewed complaint is a new case. */
    public Duration reopenWindow() {
        return reopenWindow;
    }

    /** The default rules on China's 2026 calendar. */
    public static DeadlinePolicy defaults() {
        return new DeadlinePolicy(DEFAULT_RULES, WorkingDayCalendar.china2026());
    }

    public List<Rule> rules() {
        return rules;
    }

    public WorkingDayCalendar calendar() {
        return calendar;
    }

    /** The first rule matching the case (its category's deadline class). Never fails: the last rule matches everything. */
    public Rule ruleFor(String category, Urgency urgency) {
        String deadlineClass = classes.classOf(category);
        return rules.stream().filter(r -> r.matches(deadlineClass, urgency)).findFirst().orElseThrow();
    }

    /** Response and resolution limits and deadlines for a case dispatched at {@code from}. */
    public Deadlines deadlinesFor(String category, Urgency urgency, Instant from) {
        Rule rule = ruleFor(category, urgency);
        return Deadlines.newBuilder()
                .setResponseLimit(rule.response().toString())
                .setResolutionLimit(rule.resolution().toString())
                .setResponseDeadline(ProtoTime.timestamp(rule.response().addTo(from, calendar)))
                .setResolutionDeadline(ProtoTime.timestamp(rule.resolution().addTo(from, calendar)))
                .build();
    }

    /**
     * Only the resolution limit and deadline, for a reopened case: its response was already given,
     * so the response fields stay unset.
     */
    public Deadlines resolutionDeadlineFor(String category, Urgency urgency, Instant from) {
        Rule rule = ruleFor(category, urgency);
        return Deadlines.newBuilder()
                .setResolutionLimit(rule.resolution().toString())
                .setResolutionDeadline(ProtoTime.timestamp(rule.resolution().addTo(from, calendar)))
                .build();
    }
}
