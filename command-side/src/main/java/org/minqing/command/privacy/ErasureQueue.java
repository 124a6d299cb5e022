package org.minqing.command.privacy;

import java.util.List;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.minqing.command.cases.CaseCommands.ErasePersonalData;
import org.minqing.command.handling.SystemActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Records {@code PersonalDataErased} in the other cases of an erased citizen, from the rows the
 * erasure left in {@code personal_data_erasure} (written with the erasing event, so they survive
 * a kill and are taken up again at the next round). Their data is already unreadable: the keys
 * went with the first event; this makes each case's history and read models say so.
 */
public class ErasureQueue {

    private static final Logger log = LoggerFactory.getLogger(ErasureQueue.class);
    private static final int BATCH = 100;

    private final JdbcTemplate jdbc;
    private final CommandGateway commands;

    public ErasureQueue(JdbcTemplate jdbc, CommandGateway commands) {
        this.jdbc = jdbc;
        this.commands = commands;
    }

    private record Pending(String caseId, String reason, String requestedBy) {
    }

    /** One round: returns how many cases recorded their erasure. Failures stay for the next round. */
    @Scheduled(initialDelayString = "${minqing.privacy.erasure-queue-interval:PT2S}",
            fixedDelayString = "${minqing.privacy.erasure-queue-interval:PT2S}")
    public synchronized int drain() {
        List<Pending> pending = jdbc.query("""
                        SELECT case_id, reason, requested_by FROM personal_data_erasure ORDER BY request_time, case_id
                        FETCH FIRST %d ROWS ONLY""".formatted(BATCH),
                (rs, i) -> new Pending(rs.getString(1), rs.getString(2), rs.getString(3)));
        int recorded = 0;
        for (Pending erasure : pending) {
            try {
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                                new ErasePersonalData(erasure.caseId(), erasure.reason()))
                        .andMetaData(SystemActor.metadata(erasure.requestedBy(), "ErasureQueue")));
                recorded++;
            } catch (AggregateNotFoundException e) {
                log.info("case {} of an erased citizen does not exist (its report failed): nothing to record",
                        erasure.caseId());
            } catch (RuntimeException e) {
                log.warn("the erasure of case {} could not be recorded; retrying next round: {}", erasure.caseId(),
                        e.toString());
                continue;
            }
            jdbc.update("DELETE FROM personal_data_erasure WHERE case_id = ?", erasure.caseId());
        }
        return recorded;
    }
}
