package org.minqing.projections.timeline;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Message;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AllowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.minqing.api.v1.EventMetadata;
import org.minqing.projections.CaseEvents;
import org.minqing.projections.ProjectionProperties;
import org.minqing.projections.SqlTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes one {@code case_timeline} row per case event: who did what, when, through which
 * partner system, in words. Auditors verify against the event log itself; this is the
 * readable account supervisors and partners follow.
 *
 * <p>The rows of a batch of events (one unit of work of the processor) are written together, as
 * one JDBC batch when the unit of work prepares to commit: in the processor's transaction, with its
 * token, so each event is still written exactly once. Nothing in this processing group reads the
 * timeline while the batch runs.
 */
@ProcessingGroup(CaseTimelineProjection.PROCESSING_GROUP)
@AllowReplay
public class CaseTimelineProjection {

    public static final String PROCESSING_GROUP = "case-timeline";

    private static final Logger log = LoggerFactory.getLogger(CaseTimelineProjection.class);
    private static final String BATCH = CaseTimelineProjection.class.getName() + ".rows";

    // An event already written (delivered twice) is skipped: the row is keyed by its position.
    private static final String INSERT_IF_ABSENT = """
            INSERT INTO case_timeline (case_id, sequence, event_time, event_type, actor_id, actor_role,
                actor_organization, partner_system, summary, correlation_id, request_id)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (
                SELECT 1 FROM case_timeline WHERE case_id = ? AND sequence = ?)""";

    private final JdbcTemplate jdbc;
    private final TimelineSummaries summaries;

    public CaseTimelineProjection(JdbcTemplate jdbc, ProjectionProperties properties) {
        this.jdbc = jdbc;
        this.summaries = new TimelineSummaries(properties.timeZone());
    }

    @EventHandler
    void on(Message event, DomainEventMessage<?> message, UnitOfWork<?> unitOfWork) {
        String caseId = CaseEvents.caseId(event, message);
        MetaData metaData = message.getMetaData();
        rowsOf(unitOfWork).add(new Row(message.getIdentifier(), new Object[]{
                caseId, message.getSequenceNumber(),
                SqlTimes.of(message.getTimestamp()), event.getDescriptorForType().getFullName(),
                text(metaData, EventMetadata.ACTOR_ID), text(metaData, EventMetadata.ACTOR_ROLE),
                text(metaData, EventMetadata.ACTOR_ORGANIZATION), text(metaData, EventMetadata.PARTNER_SYSTEM),
                summaries.describe(event), text(metaData, EventMetadata.CORRELATION_ID),
                text(metaData, EventMetadata.REQUEST_ID),
                caseId, message.getSequenceNumber()}));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM case_timeline");
    }

    /** The rows of this unit of work's batch, written when it prepares to commit. */
    private List<Row> rowsOf(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> batch = unitOfWork.root();
        return batch.getOrComputeResource(BATCH, key -> {
            List<Row> rows = new ArrayList<>();
            batch.onPrepareCommit(u -> write(rows));
            return rows;
        });
    }

    private void write(List<Row> rows) {
        int[] written = jdbc.batchUpdate(INSERT_IF_ABSENT, rows.stream().map(Row::values).toList());
        if (log.isDebugEnabled()) {
            // Which events the timeline wrote (crash investigations: the event id finds its place in the log).
            for (int i = 0; i < rows.size(); i++) {
                Object[] values = rows.get(i).values();
                log.debug("{} {} {} (event {})", written[i] == 0 ? "already written" : "wrote", values[0], values[1],
                        rows.get(i).eventId());
            }
        }
    }

    private record Row(String eventId, Object[] values) {
    }

    private static String text(MetaData metaData, String key) {
        Object value = metaData.get(key);
        return value == null ? "" : value.toString();
    }
}
