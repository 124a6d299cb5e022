package org.minqing.projections.summary;

import static org.minqing.projections.SqlTimes.of;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.google.protobuf.Message;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AllowReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.minqing.api.v1.AssistanceRequested;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseAcknowledged;
import org.minqing.api.v1.CaseClosed;
import org.minqing.api.v1.CaseDispatched;
import org.minqing.api.v1.CaseMerged;
import org.minqing.api.v1.CaseRejected;
import org.minqing.api.v1.CaseReopened;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.CaseResolved;
import org.minqing.api.v1.CaseReturned;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.CaseSupervised;
import org.minqing.api.v1.CaseTransferred;
import org.minqing.api.v1.CaseUrged;
import org.minqing.api.v1.CitizenContacted;
import org.minqing.api.v1.Deadlines;
import org.minqing.api.v1.EventMetadata;
import org.minqing.api.v1.ExtensionApproved;
import org.minqing.api.v1.ExtensionRefused;
import org.minqing.api.v1.ExtensionRequested;
import org.minqing.api.v1.FeedbackRecorded;
import org.minqing.api.v1.PersonalDataErased;
import org.minqing.api.v1.PersonalDataState;
import org.minqing.api.v1.ReportLinked;
import org.minqing.projections.CaseEvents;
import org.minqing.projections.RevisionGuardedRows;
import org.minqing.privacy.Envelopes;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Builds {@code case_summary} (one row per case; of the personal data only the description),
 * {@code case_personal_data} (the report's sealed envelope), the report's attachments, assisting
 * departments and linked reports from a case's events.
 *
 * <p>Every event moves the row's revision to its sequence + 1. Updates apply only while the
 * row's revision is at most the event's sequence, so an event delivered twice changes nothing.
 */
@ProcessingGroup(CaseSummaryProjection.PROCESSING_GROUP)
@AllowReplay
public class CaseSummaryProjection {

    public static final String PROCESSING_GROUP = "case-summary";

    private final JdbcTemplate jdbc;
    private final RevisionGuardedRows summaries;
    private final Envelopes envelopes;

    public CaseSummaryProjection(JdbcTemplate jdbc, Envelopes envelopes) {
        this.jdbc = jdbc;
        this.summaries = new RevisionGuardedRows(jdbc, "case_summary");
        this.envelopes = envelopes;
    }

    @EventHandler
    void on(CaseReported sealed, @SequenceNumber long seq, @Timestamp Instant at,
            @MetaDataValue(EventMetadata.PARTNER_SYSTEM) String partnerSystem) {
        CaseReported e = envelopes.open(sealed).as(CaseReported.class);
        int inserted = jdbc.update("""
                INSERT INTO case_summary (case_id, state, channel, partner_reference, partner_system, category,
                    urgency, title, description, district, grid, report_time, create_time, update_time, solved,
                    satisfaction, return_count, reopen_count, urge_count, supervised, extension_pending, revision)
                SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, 'SATISFACTION_UNSPECIFIED', 0, 0, 0,
                    FALSE, FALSE, ? WHERE NOT EXISTS (SELECT 1 FROM case_summary WHERE case_id = ?)""",
                e.getCaseId(), CaseState.CASE_STATE_REPORTED.name(), e.getChannel().name(), e.getPartnerReference(),
                partnerSystem == null ? "" : partnerSystem, e.getCategory(), e.getUrgency().name(), e.getTitle(),
                e.getDescription(), e.getLocation().getDistrict(), e.getLocation().getGrid(),
                of(e.getReportTime(), at), of(at), of(at), seq + 1, e.getCaseId());
        if (inserted == 0) { // delivered again
            return;
        }
        if (sealed.hasPersonalData()) {
            // Kept sealed, opened by the full view: the database never holds the citizen in the clear.
            jdbc.update("""
                    INSERT INTO case_personal_data (case_id, citizen_name, citizen_phone, citizen_id_number, address,
                        sealed) VALUES (?, '', '', '', '', ?)""", e.getCaseId(), sealed.getPersonalData().toByteArray());
        } else {
            boolean positioned = e.getLocation().hasPosition();
            jdbc.update("""
                    INSERT INTO case_personal_data (case_id, citizen_name, citizen_phone, citizen_id_number, address,
                        latitude, longitude) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    e.getCaseId(), e.getCitizen().getName(), e.getCitizen().getPhone(), e.getCitizen().getIdNumber(),
                    e.getLocation().getAddress(),
                    positioned ? e.getLocation().getPosition().getLatitude() : null,
                    positioned ? e.getLocation().getPosition().getLongitude() : null);
        }
        CaseAttachments.insert(jdbc, e.getCaseId(), CaseAttachments.REPORT, e.getAttachmentsList());
    }

    /** The citizen's data is gone for good: the description and the personal columns are emptied. */
    @EventHandler
    void on(PersonalDataErased e, @SequenceNumber long seq, @Timestamp Instant at) {
        if (update(e.getCaseId(), seq, at, "description = ?", "")) {
            jdbc.update("""
                    UPDATE case_personal_data SET citizen_name = '', citizen_phone = '', citizen_id_number = '',
                        address = '', latitude = NULL, longitude = NULL, sealed = NULL, personal_data = ?
                    WHERE case_id = ?""",
                    PersonalDataState.PERSONAL_DATA_STATE_ERASED.name(), e.getCaseId());
        }
    }

    @EventHandler
    void on(CaseAccepted e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "state = ?", CaseState.CASE_STATE_ACCEPTED.name());
    }

    @EventHandler
    void on(CaseRejected e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "state = ?", CaseState.CASE_STATE_REJECTED.name());
    }

    @EventHandler
    void on(CaseMerged e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "state = ?, merged_into = ?", CaseState.CASE_STATE_MERGED.name(),
                e.getTargetCaseId());
    }

    @EventHandler
    void on(ReportLinked e, @SequenceNumber long seq, @Timestamp Instant at) {
        if (update(e.getCaseId(), seq, at, "")) {
            jdbc.update("""
                    INSERT INTO case_linked_report (case_id, source_case_id, channel, partner_reference, link_sequence)
                    VALUES (?, ?, ?, ?, ?)""",
                    e.getCaseId(), e.getSourceCaseId(), e.getChannel().name(), e.getPartnerReference(), seq);
        }
    }

    // A (re-)dispatch starts a new response: the department must acknowledge and contact the
    // citizen again before the new response deadline. New deadlines void a pending extension.
    @EventHandler
    void on(CaseDispatched e, @SequenceNumber long seq, @Timestamp Instant at) {
        dispatch(e.getCaseId(), seq, at, e.getDepartment(), e.getHandler(), e.getDeadlines());
    }

    @EventHandler
    void on(CaseTransferred e, @SequenceNumber long seq, @Timestamp Instant at) {
        dispatch(e.getCaseId(), seq, at, e.getDepartment(), e.getHandler(), e.getDeadlines());
    }

    private void dispatch(String caseId, long seq, Instant at, String department, String handler,
                          Deadlines deadlines) {
        update(caseId, seq, at, """
                state = ?, department = ?, handler = ?, dispatch_time = ?, response_deadline = ?,
                resolution_deadline = ?, acknowledge_time = NULL, contact_time = NULL, response_time = NULL,
                extension_pending = FALSE""",
                CaseState.CASE_STATE_DISPATCHED.name(), department, blankToNull(handler), of(at),
                of(deadlines.getResponseDeadline()), of(deadlines.getResolutionDeadline()));
    }

    // A returned case has no handling department and so no running deadlines until it is
    // dispatched again; the timeline keeps what they were.
    @EventHandler
    void on(CaseReturned e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, """
                state = ?, department = NULL, handler = NULL, response_deadline = NULL, resolution_deadline = NULL,
                acknowledge_time = NULL, contact_time = NULL, response_time = NULL, extension_pending = FALSE,
                return_count = return_count + 1""", CaseState.CASE_STATE_RETURNED.name());
    }

    @EventHandler
    void on(AssistanceRequested e, @SequenceNumber long seq, @Timestamp Instant at) {
        if (!update(e.getCaseId(), seq, at, "")) {
            return;
        }
        Set<String> known = new HashSet<>(jdbc.queryForList(
                "SELECT department FROM case_assisting_department WHERE case_id = ?", String.class, e.getCaseId()));
        for (String department : e.getDepartmentsList()) {
            if (known.add(department)) {
                jdbc.update("INSERT INTO case_assisting_department (case_id, department, request_sequence) VALUES (?, ?, ?)",
                        e.getCaseId(), department, seq);
            }
        }
    }

    // The case records when its response is complete (response_time on the step that completes it).
    @EventHandler
    void on(CaseAcknowledged e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, """
                        state = ?, acknowledge_time = ?, handler = COALESCE(?, handler),
                        response_time = COALESCE(?, response_time)""",
                CaseState.CASE_STATE_IN_PROGRESS.name(), of(at), blankToNull(e.getHandler()), of(e.getResponseTime()));
    }

    // Only the first contact since the dispatch counts for the response.
    @EventHandler
    void on(CitizenContacted e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "contact_time = COALESCE(contact_time, ?), response_time = COALESCE(?, response_time)",
                of(e.getContactTime(), at), of(e.getResponseTime()));
    }

    @EventHandler
    void on(CaseResolved e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "state = ?, resolve_time = ?", CaseState.CASE_STATE_RESOLVED.name(), of(at));
    }

    @EventHandler
    void on(FeedbackRecorded e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "state = ?, solved = ?, satisfaction = ?",
                CaseState.CASE_STATE_FOLLOWED_UP.name(), e.getSolved(), e.getSatisfaction().name());
    }

    @EventHandler
    void on(CaseClosed e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "state = ?, close_time = ?", CaseState.CASE_STATE_CLOSED.name(), of(at));
    }

    // Back to handling: the response stands (its deadline too, unless the reopen set a new one);
    // the resolution starts again under the reopen's resolution deadline.
    @EventHandler
    void on(CaseReopened e, @SequenceNumber long seq, @Timestamp Instant at) {
        Deadlines d = e.getDeadlines();
        update(e.getCaseId(), seq, at, """
                state = ?, department = COALESCE(?, department), resolve_time = NULL, close_time = NULL,
                response_deadline = COALESCE(?, response_deadline),
                resolution_deadline = ?, extension_pending = FALSE, reopen_count = reopen_count + 1""",
                CaseState.CASE_STATE_IN_PROGRESS.name(), blankToNull(e.getDepartment()),
                of(d.getResponseDeadline()), of(d.getResolutionDeadline()));
    }

    @EventHandler
    void on(ExtensionRequested e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "extension_pending = TRUE");
    }

    @EventHandler
    void on(ExtensionApproved e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "extension_pending = FALSE, resolution_deadline = COALESCE(?, resolution_deadline)",
                of(e.getResolutionDeadline()));
    }

    @EventHandler
    void on(ExtensionRefused e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "extension_pending = FALSE");
    }

    @EventHandler
    void on(CaseUrged e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "urge_count = urge_count + 1");
    }

    @EventHandler
    void on(CaseSupervised e, @SequenceNumber long seq, @Timestamp Instant at) {
        update(e.getCaseId(), seq, at, "supervised = TRUE");
    }

    /**
     * Any other event of a case (progress notes, visits, and types added later) still counts
     * towards the revision. Axon calls the most specific handler only, so this one sees just the
     * events the handlers above do not take.
     */
    @EventHandler
    void on(Message event, DomainEventMessage<?> message) {
        update(CaseEvents.caseId(event, message), message.getSequenceNumber(), message.getTimestamp(), "");
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM case_attachment WHERE visit_id = ?", CaseAttachments.REPORT);
        for (String table : List.of(CaseSummaryTables.CASE_LINKED_REPORT, CaseSummaryTables.CASE_ASSISTING_DEPARTMENT,
                CaseSummaryTables.CASE_PERSONAL_DATA, CaseSummaryTables.CASE_SUMMARY)) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    /** Applies {@code assignments} (may be empty) with the update time of the event at {@code seq}. */
    private boolean update(String caseId, long seq, Instant at, String assignments, Object... args) {
        Object[] withTime = Arrays.copyOf(args, args.length + 1);
        withTime[args.length] = of(at);
        return summaries.update(caseId, seq, (assignments.isBlank() ? "" : assignments + ", ") + "update_time = ?",
                withTime);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
