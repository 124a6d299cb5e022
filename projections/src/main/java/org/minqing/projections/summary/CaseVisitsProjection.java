package org.minqing.projections.summary;

import static org.minqing.projections.SqlTimes.of;

import java.time.Instant;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AllowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.minqing.api.v1.PersonalDataErased;
import org.minqing.api.v1.VisitCancelled;
import org.minqing.api.v1.VisitCheckedIn;
import org.minqing.api.v1.VisitCompleted;
import org.minqing.api.v1.VisitRescheduled;
import org.minqing.api.v1.VisitScheduled;
import org.minqing.api.v1.VisitState;
import org.minqing.privacy.Envelopes;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Builds the visits of the case read model ({@code case_visit}, {@code case_visit_visitor} and
 * the visits' evidence in {@code case_attachment}). Same processing group as
 * {@link CaseSummaryProjection}, so both advance under one token; that one counts the revision.
 * Places and check-in positions are personal data: opened from the events' envelopes, dropped
 * when the citizen's data is erased.
 */
@ProcessingGroup(CaseSummaryProjection.PROCESSING_GROUP)
@AllowReplay
public class CaseVisitsProjection {

    private final JdbcTemplate jdbc;
    private final Envelopes envelopes;

    public CaseVisitsProjection(JdbcTemplate jdbc, Envelopes envelopes) {
        this.jdbc = jdbc;
        this.envelopes = envelopes;
    }

    @EventHandler
    void on(VisitScheduled sealed, @SequenceNumber long seq) {
        VisitScheduled e = envelopes.open(sealed).as(VisitScheduled.class);
        jdbc.update("""
                INSERT INTO case_visit (case_id, visit_id, schedule_sequence, state, scheduled_time, place, purpose)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                e.getCaseId(), e.getVisitId(), seq, VisitState.VISIT_STATE_SCHEDULED.name(), of(e.getScheduledTime()),
                e.getPlace(), e.getPurpose());
        for (int i = 0; i < e.getVisitorsCount(); i++) {
            jdbc.update("INSERT INTO case_visit_visitor (case_id, visit_id, ordinal, visitor) VALUES (?, ?, ?, ?)",
                    e.getCaseId(), e.getVisitId(), i, e.getVisitors(i));
        }
    }

    @EventHandler
    void on(VisitRescheduled sealed) {
        VisitRescheduled e = envelopes.open(sealed).as(VisitRescheduled.class);
        jdbc.update("""
                UPDATE case_visit SET scheduled_time = ?, place = COALESCE(?, place)
                WHERE case_id = ? AND visit_id = ?""",
                of(e.getScheduledTime()), e.getPlace().isBlank() ? null : e.getPlace(), e.getCaseId(), e.getVisitId());
    }

    @EventHandler
    void on(VisitCancelled e) {
        jdbc.update("UPDATE case_visit SET state = ? WHERE case_id = ? AND visit_id = ?",
                VisitState.VISIT_STATE_CANCELLED.name(), e.getCaseId(), e.getVisitId());
    }

    @EventHandler
    void on(VisitCheckedIn sealed, @Timestamp Instant at) {
        VisitCheckedIn e = envelopes.open(sealed).as(VisitCheckedIn.class);
        boolean positioned = e.hasPosition();
        jdbc.update("""
                UPDATE case_visit SET state = ?, check_in_time = ?, check_in_latitude = ?, check_in_longitude = ?
                WHERE case_id = ? AND visit_id = ?""",
                VisitState.VISIT_STATE_CHECKED_IN.name(), of(e.getCheckInTime(), at),
                positioned ? e.getPosition().getLatitude() : null, positioned ? e.getPosition().getLongitude() : null,
                e.getCaseId(), e.getVisitId());
    }

    @EventHandler
    void on(VisitCompleted e, @Timestamp Instant at) {
        jdbc.update("UPDATE case_visit SET state = ?, complete_time = ?, findings = ? WHERE case_id = ? AND visit_id = ?",
                VisitState.VISIT_STATE_COMPLETED.name(), of(e.getCompleteTime(), at), e.getFindings(), e.getCaseId(),
                e.getVisitId());
        CaseAttachments.insert(jdbc, e.getCaseId(), e.getVisitId(), e.getEvidenceList());
    }

    @EventHandler
    void on(PersonalDataErased e) {
        jdbc.update("UPDATE case_visit SET place = '', check_in_latitude = NULL, check_in_longitude = NULL"
                + " WHERE case_id = ?", e.getCaseId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM case_attachment WHERE visit_id <> ?", CaseAttachments.REPORT);
        jdbc.update("DELETE FROM case_visit_visitor");
        jdbc.update("DELETE FROM case_visit");
    }
}
