package org.minqing.projections.timeline;

import com.google.protobuf.Message;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AllowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
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
 */
@ProcessingGroup(CaseTimelineProjection.PROCESSING_GROUP)
@AllowReplay
public class CaseTimelineProjection {

    public static final String PROCESSING_GROUP = "case-timeline";

    private static final Logger log = LoggerFactory.getLogger(CaseTimelineProjection.class);

    private final JdbcTemplate jdbc;
    private final TimelineSummaries summaries;

    public CaseTimelineProjection(JdbcTemplate jdbc, ProjectionProperties properties) {
        this.jdbc = jdbc;
        this.summaries = new TimelineSummaries(properties.timeZone());
    }

    // An event already written (delivered twice) is skipped: the row is keyed by its position.
    @EventHandler
    void on(Message event, DomainEventMessage<?> message) {
        String caseId = CaseEvents.caseId(event, message);
        Integer written = jdbc.queryForObject("SELECT COUNT(*) FROM case_timeline WHERE case_id = ? AND sequence = ?",
                Integer.class, caseId, message.getSequenceNumber());
        // DEBUG traces which events the timeline wrote (crash investigations: the event id finds its
        // place in the log).
        log.debug("{} {} {} (event {})", written != null && written > 0 ? "already written" : "writing", caseId,
                message.getSequenceNumber(), message.getIdentifier());
        if (written != null && written > 0) {
            return;
        }
        MetaData metaData = message.getMetaData();
        jdbc.update("""
                INSERT INTO case_timeline (case_id, sequence, event_time, event_type, actor_id, actor_role,
                    actor_organization, partner_system, summary, correlation_id, request_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                caseId, message.getSequenceNumber(),
                SqlTimes.of(message.getTimestamp()), event.getDescriptorForType().getFullName(),
                text(metaData, EventMetadata.ACTOR_ID), text(metaData, EventMetadata.ACTOR_ROLE),
                text(metaData, EventMetadata.ACTOR_ORGANIZATION), text(metaData, EventMetadata.PARTNER_SYSTEM),
                summaries.describe(event), text(metaData, EventMetadata.CORRELATION_ID),
                text(metaData, EventMetadata.REQUEST_ID));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM case_timeline");
    }

    private static String text(MetaData metaData, String key) {
        Object value = metaData.get(key);
        return value == null ? "" : value.toString();
    }
}
