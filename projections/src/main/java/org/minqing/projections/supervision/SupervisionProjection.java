package org.minqing.projections.supervision;

import static org.minqing.api.v1.ProtoTime.instant;

import static org.minqing.projections.SqlTimes.of;

import java.time.Instant;
import java.util.List;

import com.google.protobuf.Timestamp;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AllowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.minqing.api.v1.*;
import org.minqing.projections.SqlTimes;
import org.minqing.projections.RevisionGuardedRows;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Builds the supervision read models (V4): {@code supervision_case} with the deadlines still
 * pending (the worklist), the supervision history, and the facts the rates count: one row per
 * assignment, per resolution and per breach (docs/metrics.md). Definitions live in the query, not
 * here: these rows record what happened and when, so a changed definition needs no rebuild.
 *
 * <p>Each handler first moves the case row's revision past the event; an event delivered again
 * finds the revision moved and changes nothing.
 */
@ProcessingGroup(SupervisionProjection.PROCESSING_GROUP)
@AllowReplay
public class SupervisionProjection {

    public static final String PROCESSING_GROUP = "supervision";

    private final JdbcTemplate jdbc;
    private final RevisionGuardedRows cases;

    public SupervisionProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.cases = new RevisionGuardedRows(jdbc, "supervision_case");
    }

    @EventHandler
    void on(CaseReported e, @SequenceNumber long seq) {
        jdbc.update("""
                INSERT INTO supervision_case (case_id, title, state, channel, category, urgency, district, grid,
                    department, urge_count, supervised, extension_pending, revision)
                SELECT ?, ?, ?, ?, ?, ?, ?, ?, '', 0, FALSE, FALSE, ?
                WHERE NOT EXISTS (SELECT 1 FROM supervision_case WHERE case_id = ?)""",
                e.getCaseId(), e.getTitle(), CaseState.CASE_STATE_REPORTED.name(), e.getChannel().name(),
                e.getCategory(), e.getUrgency().name(), e.getLocation().getDistrict(), e.getLocation().getGrid(),
                seq + 1, e.getCaseId());
    }

    @EventHandler
    void on(CaseAccepted e, @SequenceNumber long seq) {
        update(e.getCaseId(), seq, "state = ?", CaseState.CASE_STATE_ACCEPTED.name());
    }

    @EventHandler
    void on(CaseRejected e, @SequenceNumber long seq) {
        update(e.getCaseId(), seq, "state = ?", CaseState.CASE_STATE_REJECTED.name());
    }

    @EventHandler
    void on(CaseMerged e, @SequenceNumber long seq) {
        if (update(e.getCaseId(), seq, "state = ?", CaseState.CASE_STATE_MERGED.name())) {
            noDeadlines(e.getCaseId());
        }
    }

    @EventHandler
    void on(CaseDispatched e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        assign(e.getCaseId(), seq, at, e.getDepartment(), e.getDeadlines());
    }

    @EventHandler
    void on(CaseTransferred e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        assign(e.getCaseId(), seq, at, e.getDepartment(), e.getDeadlines());
    }

    /** A new department owes a new response and gets new deadlines; a pending extension is void. */
    private void assign(String caseId, long seq, Instant at, String department, Deadlines deadlines) {
        Long response = ms(deadlines.getResponseDeadline());
        Long resolution = ms(deadlines.getResolutionDeadline());
        if (!update(caseId, seq, """
                        state = ?, department = ?, acknowledge_ms = NULL, contact_ms = NULL,
                        response_start_ms = ?, response_deadline_ms = ?, resolution_start_ms = ?,
                        resolution_deadline_ms = ?, extension_pending = FALSE""",
                CaseState.CASE_STATE_DISPATCHED.name(), department, response == null ? null : at.toEpochMilli(),
                response, resolution == null ? null : at.toEpochMilli(), resolution)) {
            return;
        }
        nextDeadline(caseId);
        jdbc.update("""
                INSERT INTO supervision_assignment (case_id, sequence, department, district, grid, category, channel,
                    assigned_ms, response_deadline_ms, returned)
                SELECT case_id, ?, department, district, grid, category, channel, ?, ?, FALSE
                FROM supervision_case WHERE case_id = ?""", seq, at.toEpochMilli(), response, caseId);
    }

    @EventHandler
    void on(CaseReturned e, @SequenceNumber long seq) {
        if (update(e.getCaseId(), seq, "state = ?, department = '', extension_pending = FALSE",
                CaseState.CASE_STATE_RETURNED.name())) {
            noDeadlines(e.getCaseId());
            jdbc.update("UPDATE supervision_assignment SET returned = TRUE WHERE case_id = ? AND sequence = ?",
                    e.getCaseId(), latest("supervision_assignment", e.getCaseId()));
        }
    }

    @EventHandler
    void on(CaseAcknowledged e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        if (update(e.getCaseId(), seq, "state = ?, acknowledge_ms = ?", CaseState.CASE_STATE_IN_PROGRESS.name(),
                at.toEpochMilli()) && e.hasResponseTime()) {
            responded(e.getCaseId(), e.getResponseTime());
        }
    }

    /** The first contact since the assignment counts, at the time the handler reported it. */
    @EventHandler
    void on(CitizenContacted e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        long contact = SqlTimes.isSet(e.getContactTime()) ? ms(e.getContactTime()) : at.toEpochMilli();
        if (update(e.getCaseId(), seq, "contact_ms = COALESCE(contact_ms, ?)", contact) && e.hasResponseTime()) {
            responded(e.getCaseId(), e.getResponseTime());
        }
    }

    /** The case recorded its response complete: the response deadline is no longer pending. */
    private void responded(String caseId, Timestamp responseTime) {
        jdbc.update("UPDATE supervision_assignment SET responded_ms = ? WHERE case_id = ? AND sequence = ? AND responded_ms IS NULL",
                ms(responseTime), caseId, latest("supervision_assignment", caseId));
        jdbc.update("UPDATE supervision_case SET response_start_ms = NULL, response_deadline_ms = NULL WHERE case_id = ?",
                caseId);
        nextDeadline(caseId);
    }

    @EventHandler
    void on(CaseResolved e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        if (!update(e.getCaseId(), seq, "state = ?", CaseState.CASE_STATE_RESOLVED.name())) {
            return;
        }
        jdbc.update("""
                INSERT INTO supervision_resolution (case_id, sequence, department, district, grid, category, channel,
                    handling_start_ms, resolution_deadline_ms, resolved_ms, reopened)
                SELECT case_id, ?, department, district, grid, category, channel, COALESCE(resolution_start_ms, ?),
                    resolution_deadline_ms, ?, FALSE
                FROM supervision_case WHERE case_id = ?""", seq, at.toEpochMilli(), at.toEpochMilli(), e.getCaseId());
        noDeadlines(e.getCaseId());
    }

    /** A later follow-up of the same resolution replaces the earlier one. */
    @EventHandler
    void on(FeedbackRecorded e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        if (update(e.getCaseId(), seq, "state = ?", CaseState.CASE_STATE_FOLLOWED_UP.name())) {
            jdbc.update("""
                    UPDATE supervision_resolution SET feedback_ms = ?, solved = ?, satisfaction = ?
                    WHERE case_id = ? AND sequence = ?""", at.toEpochMilli(), e.getSolved(),
                    e.getSatisfaction().name(), e.getCaseId(), latest("supervision_resolution", e.getCaseId()));
        }
    }

    @EventHandler
    void on(CaseClosed e, @SequenceNumber long seq) {
        if (update(e.getCaseId(), seq, "state = ?", CaseState.CASE_STATE_CLOSED.name())) {
            noDeadlines(e.getCaseId());
        }
    }

    /** The resolution did not hold; handling starts again under the reopen's resolution deadline. */
    @EventHandler
    void on(CaseReopened e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at) {
        Long resolution = ms(e.getDeadlines().getResolutionDeadline());
        if (update(e.getCaseId(), seq, """
                        state = ?, response_start_ms = NULL, response_deadline_ms = NULL, resolution_start_ms = ?,
                        resolution_deadline_ms = ?, extension_pending = FALSE""",
                CaseState.CASE_STATE_IN_PROGRESS.name(), resolution == null ? null : at.toEpochMilli(), resolution)) {
            nextDeadline(e.getCaseId());
            jdbc.update("UPDATE supervision_resolution SET reopened = TRUE WHERE case_id = ? AND sequence = ?",
                    e.getCaseId(), latest("supervision_resolution", e.getCaseId()));
        }
    }

    @EventHandler
    void on(ExtensionRequested e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at,
            @MetaDataValue(EventMetadata.ACTOR_ID) String actor) {
        if (update(e.getCaseId(), seq, "extension_pending = TRUE")) {
            history(e.getCaseId(), seq, SupervisionAction.SUPERVISION_ACTION_EXTENSION_REQUESTED, at, actor,
                    "to " + instant(e.getRequestedDeadline()) + (e.getReason().isEmpty() ? "" : ": " + e.getReason()));
        }
    }

    @EventHandler
    void on(ExtensionApproved e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at,
            @MetaDataValue(EventMetadata.ACTOR_ID) String actor) {
        if (update(e.getCaseId(), seq, """
                        extension_pending = FALSE, resolution_deadline_ms = CASE WHEN resolution_deadline_ms IS NULL
                        THEN NULL ELSE ? END""", ms(e.getResolutionDeadline()))) {
            nextDeadline(e.getCaseId());
            history(e.getCaseId(), seq, SupervisionAction.SUPERVISION_ACTION_EXTENSION_APPROVED, at, actor,
                    "to " + instant(e.getResolutionDeadline()) + (e.getNote().isEmpty() ? "" : ": " + e.getNote()));
        }
    }

    @EventHandler
    void on(ExtensionRefused e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at,
            @MetaDataValue(EventMetadata.ACTOR_ID) String actor) {
        if (update(e.getCaseId(), seq, "extension_pending = FALSE")) {
            history(e.getCaseId(), seq, SupervisionAction.SUPERVISION_ACTION_EXTENSION_REFUSED, at, actor, e.getReason());
        }
    }

    @EventHandler
    void on(CaseUrged e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at,
            @MetaDataValue(EventMetadata.ACTOR_ID) String actor) {
        if (update(e.getCaseId(), seq, "urge_count = urge_count + 1")) {
            history(e.getCaseId(), seq, SupervisionAction.SUPERVISION_ACTION_URGED, at, actor, e.getMessage());
        }
    }

    @EventHandler
    void on(CaseSupervised e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at,
            @MetaDataValue(EventMetadata.ACTOR_ID) String actor) {
        if (update(e.getCaseId(), seq, "supervised = TRUE")) {
            history(e.getCaseId(), seq, SupervisionAction.SUPERVISION_ACTION_SUPERVISED, at, actor, e.getInstructions());
        }
    }

    /** The deadline stays pending (the step is still owed): the case is overdue until it is done. */
    @EventHandler
    void on(DeadlineBreached e, @SequenceNumber long seq, @org.axonframework.eventhandling.Timestamp Instant at,
            @MetaDataValue(EventMetadata.ACTOR_ID) String actor) {
        if (update(e.getCaseId(), seq, "")) {
            jdbc.update("""
                    INSERT INTO supervision_breach (case_id, sequence, kind, department, district, grid, category,
                        channel, deadline_ms)
                    SELECT case_id, ?, ?, ?, district, grid, category, channel, ? FROM supervision_case
                    WHERE case_id = ?""", seq, e.getKind().name(), e.getDepartment(), ms(e.getDeadline()), e.getCaseId());
            String kind = e.getKind() == DeadlineKind.DEADLINE_KIND_RESPONSE ? "response" : "resolution";
            history(e.getCaseId(), seq, SupervisionAction.SUPERVISION_ACTION_DEADLINE_BREACHED, at, actor,
                    kind + " deadline " + instant(e.getDeadline()) + " passed");
        }
    }

    @ResetHandler
    void reset() {
        for (String table : List.of(SupervisionTables.SUPERVISION_HISTORY, SupervisionTables.SUPERVISION_ASSIGNMENT,
                SupervisionTables.SUPERVISION_RESOLUTION, SupervisionTables.SUPERVISION_BREACH,
                SupervisionTables.SUPERVISION_CASE)) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    // ---- the rows' vocabulary ----

    private boolean update(String caseId, long seq, String assignments, Object... args) {
        return cases.update(caseId, seq, assignments, args);
    }

    private void noDeadlines(String caseId) {
        jdbc.update("""
                UPDATE supervision_case SET response_start_ms = NULL, response_deadline_ms = NULL,
                    resolution_start_ms = NULL, resolution_deadline_ms = NULL, next_deadline_ms = NULL
                WHERE case_id = ?""", caseId);
    }

    private void nextDeadline(String caseId) {
        jdbc.update("""
                UPDATE supervision_case SET next_deadline_ms = CASE
                    WHEN response_deadline_ms IS NULL THEN resolution_deadline_ms
                    WHEN resolution_deadline_ms IS NULL OR response_deadline_ms < resolution_deadline_ms
                        THEN response_deadline_ms
                    ELSE resolution_deadline_ms END
                WHERE case_id = ?""", caseId);
    }

    /** The sequence of the case's latest row in a fact table; -1 when it has none. */
    private long latest(String table, String caseId) {
        Long sequence = jdbc.queryForObject("SELECT MAX(sequence) FROM " + table + " WHERE case_id = ?", Long.class,
                caseId);
        return sequence == null ? -1 : sequence;
    }

    private void history(String caseId, long seq, SupervisionAction action, Instant at, String actor, String text) {
        jdbc.update("INSERT INTO supervision_history (case_id, sequence, action, action_time, actor, text) VALUES (?, ?, ?, ?, ?, ?)",
                caseId, seq, action.name(), of(at), actor == null ? "" : actor, text);
    }

    private static Long ms(Timestamp timestamp) {
        return SqlTimes.isSet(timestamp) ? instant(timestamp).toEpochMilli() : null;
    }
}
