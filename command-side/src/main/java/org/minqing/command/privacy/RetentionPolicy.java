package org.minqing.command.privacy;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.minqing.command.cases.CaseCommands.ErasePersonalData;
import org.minqing.command.handling.SystemActor;
import org.minqing.privacy.PrivacyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * PIPL Art. 19: personal data is kept no longer than needed. Each round erases the data of every
 * citizen whose cases are all finished (closed, rejected or merged) and unchanged for longer than
 * {@code minqing.privacy.retention.closed-for}, through the erasure every other path takes: a
 * {@code ErasePersonalData} command on one of their cases, which destroys the keys and reaches
 * the others. Nothing is marked in between, so a round cut short by a kill is simply done again.
 * It reads the case summary read model (same database) for the states and times.
 */
public class RetentionPolicy {

    private static final Logger log = LoggerFactory.getLogger(RetentionPolicy.class);
    static final String ACTOR = "retention-policy";
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final CommandGateway commands;
    private final PrivacyProperties.Retention retention;
    private final Clock clock;

    public RetentionPolicy(JdbcTemplate jdbc, CommandGateway commands, PrivacyProperties.Retention retention,
                           Clock clock) {
        this.jdbc = jdbc;
        this.commands = commands;
        this.retention = retention;
        this.clock = clock;
    }

    /** One round; returns how many citizens' data it erased. */
    @Scheduled(initialDelayString = "${minqing.privacy.retention.interval:PT1H}",
            fixedDelayString = "${minqing.privacy.retention.interval:PT1H}")
    public synchronized int apply() {
        if (!retention.enabled()) {
            return 0;
        }
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(retention.closedFor()), ZoneOffset.UTC);
        List<String> due = jdbc.queryForList("""
                SELECT MIN(c.case_id) FROM personal_data_case c LEFT JOIN case_summary s ON s.case_id = c.case_id
                WHERE c.citizen IN (SELECT citizen FROM personal_data_key WHERE wrapped_key IS NOT NULL)
                GROUP BY c.citizen
                HAVING SUM(CASE WHEN s.state IN ('CASE_STATE_CLOSED', 'CASE_STATE_REJECTED', 'CASE_STATE_MERGED')
                    AND s.update_time < ? THEN 0 ELSE 1 END) = 0
                ORDER BY MIN(c.case_id) FETCH FIRST %d ROWS ONLY""".formatted(BATCH), String.class, cutoff);
        long days = retention.closedFor().toDays();
        String reason = "retention: every case of the citizen finished more than "
                + (days > 0 ? days + " days" : retention.closedFor().toString()) + " ago (minqing.privacy.retention.closed-for)";
        int erased = 0;
        for (String caseId : due) {
            try {
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(new ErasePersonalData(caseId, reason))
                        .andMetaData(SystemActor.metadata(ACTOR, "RetentionPolicy")));
                erased++;
            } catch (RuntimeException e) {
                log.warn("retention could not erase the personal data of case {}'s citizen; retrying next round: {}",
                        caseId, e.toString());
            }
        }
        if (erased > 0) {
            log.info("retention: erased the personal data of {} citizen(s)", erased);
        }
        return erased;
    }
}
