package org.minqing.query.cases;

import static org.minqing.projections.summary.CaseSummaryTables.CASE_ASSISTING_DEPARTMENT;
import static org.minqing.projections.summary.CaseSummaryTables.CASE_ATTACHMENT;
import static org.minqing.projections.summary.CaseSummaryTables.CASE_LINKED_REPORT;
import static org.minqing.projections.summary.CaseSummaryTables.CASE_PERSONAL_DATA;
import static org.minqing.projections.summary.CaseSummaryTables.CASE_SUMMARY;
import static org.minqing.projections.summary.CaseSummaryTables.CASE_VISIT;
import static org.minqing.projections.summary.CaseSummaryTables.CASE_VISIT_VISITOR;

import static org.minqing.projections.SqlTimes.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.google.protobuf.Timestamp;
import org.minqing.api.requests.ResourceNames;
import org.minqing.api.v1.Attachment;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.Channel;
import com.google.protobuf.InvalidProtocolBufferException;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.SealedPersonalData;
import org.minqing.privacy.Envelopes;
import org.minqing.api.v1.PersonalDataState;
import org.minqing.api.v1.GeoPoint;
import org.minqing.api.v1.ProtoTime;
import org.minqing.api.v1.Satisfaction;
import org.minqing.api.v1.Urgency;
import org.minqing.api.v1.Visit;
import org.minqing.api.v1.VisitState;
import org.minqing.projections.SqlTimes;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads {@code Case} resources from the case read model: the summary row, then its attachments,
 * assisting departments, linked reports and visits, and the personal data only when asked.
 */
public final class CaseReader {

    private final JdbcClient jdbc;
    private final Envelopes envelopes;

    public CaseReader(JdbcClient jdbc, Envelopes envelopes) {
        this.jdbc = jdbc;
        this.envelopes = envelopes;
    }

    /** The case, with personal data (citizen, address, position) only if {@code personalData}. */
    public Optional<Case> find(String caseId, boolean personalData, Instant now) {
        Optional<Case.Builder> found = jdbc.sql("SELECT * FROM " + CASE_SUMMARY + " WHERE case_id = :id").param("id", caseId)
                .query((rs, n) -> summary(rs, now)).optional();
        found.ifPresent(c -> {
            complete(Map.of(caseId, c));
            if (personalData) {
                addPersonalData(caseId, c);
            }
        });
        return found.map(Case.Builder::build);
    }

    /** A {@code case_summary} row as a Case without its lists and personal data. */
    Case.Builder summary(ResultSet rs, Instant now) throws SQLException {
        String caseId = rs.getString("case_id");
        Case.Builder c = Case.newBuilder()
                .setName(ResourceNames.caseName(caseId))
                .setState(parse(CaseState.class, rs.getString("state"), CaseState.CASE_STATE_UNSPECIFIED))
                .setChannel(parse(Channel.class, rs.getString("channel"), Channel.CHANNEL_UNSPECIFIED))
                .setPartnerReference(rs.getString("partner_reference"))
                .setPartnerSystem(rs.getString("partner_system"))
                .setCategory(rs.getString("category"))
                .setUrgency(parse(Urgency.class, rs.getString("urgency"), Urgency.URGENCY_UNSPECIFIED))
                .setTitle(rs.getString("title"))
                .setDescription(rs.getString("description"))
                .setSolved(rs.getBoolean("solved"))
                .setSatisfaction(parse(Satisfaction.class, rs.getString("satisfaction"),
                        Satisfaction.SATISFACTION_UNSPECIFIED))
                .setReturnCount(rs.getInt("return_count"))
                .setReopenCount(rs.getInt("reopen_count"))
                .setUrgeCount(rs.getInt("urge_count"))
                .setSupervised(rs.getBoolean("supervised"))
                .setExtensionPending(rs.getBoolean("extension_pending"))
                .setRevision(rs.getLong("revision"));
        c.getLocationBuilder().setDistrict(rs.getString("district")).setGrid(rs.getString("grid"));
        text(rs, "department", c::setDepartment);
        text(rs, "handler", c::setHandler);
        text(rs, "merged_into", id -> c.setMergedInto(ResourceNames.caseName(id)));
        time(rs, "report_time", c::setReportTime);
        time(rs, "create_time", c::setCreateTime);
        time(rs, "dispatch_time", c::setDispatchTime);
        time(rs, "response_deadline", c::setResponseDeadline);
        time(rs, "resolution_deadline", c::setResolutionDeadline);
        time(rs, "acknowledge_time", c::setAcknowledgeTime);
        time(rs, "contact_time", c::setContactTime);
        time(rs, "resolve_time", c::setResolveTime);
        time(rs, "close_time", c::setCloseTime);
        time(rs, "update_time", c::setUpdateTime);
        c.setResponseOverdue(Overdue.isOverdue(instant(rs, "response_deadline"), instant(rs, "response_time"), now));
        c.setResolutionOverdue(Overdue.isOverdue(instant(rs, "resolution_deadline"), instant(rs, "resolve_time"), now));
        return c;
    }

    /** Adds attachments, assisting departments, linked cases and visits, a few queries per page. */
    void complete(Map<String, Case.Builder> cases) {
        if (cases.isEmpty()) {
            return;
        }
        Collection<String> ids = cases.keySet();
        Map<String, Visit.Builder> visits = new LinkedHashMap<>();
        jdbc.sql("SELECT * FROM " + CASE_VISIT + " WHERE case_id IN (:ids) ORDER BY case_id, schedule_sequence")
                .param("ids", ids).query(rs -> {
                    String caseId = rs.getString("case_id");
                    String visitId = rs.getString("visit_id");
                    Visit.Builder v = cases.get(caseId).addVisitsBuilder()
                            .setName(ResourceNames.visitName(caseId, visitId))
                            .setState(parse(VisitState.class, rs.getString("state"), VisitState.VISIT_STATE_UNSPECIFIED))
                            .setPlace(rs.getString("place"))
                            .setPurpose(rs.getString("purpose"));
                    time(rs, "scheduled_time", v::setScheduledTime);
                    time(rs, "check_in_time", v::setCheckInTime);
                    time(rs, "complete_time", v::setCompleteTime);
                    double latitude = rs.getDouble("check_in_latitude");
                    if (!rs.wasNull()) {
                        v.setCheckInPosition(GeoPoint.newBuilder().setLatitude(latitude)
                                .setLongitude(rs.getDouble("check_in_longitude")));
                    }
                    text(rs, "findings", v::setFindings);
                    visits.put(caseId + "/" + visitId, v);
                });
        jdbc.sql("SELECT * FROM " + CASE_VISIT_VISITOR + " WHERE case_id IN (:ids) ORDER BY case_id, visit_id, ordinal")
                .param("ids", ids).query(rs -> {
                    Visit.Builder v = visits.get(rs.getString("case_id") + "/" + rs.getString("visit_id"));
                    if (v != null) {
                        v.addVisitors(rs.getString("visitor"));
                    }
                });
        jdbc.sql("SELECT * FROM " + CASE_ATTACHMENT + " WHERE case_id IN (:ids) ORDER BY case_id, visit_id, ordinal")
                .param("ids", ids).query(rs -> {
                    Attachment a = Attachment.newBuilder().setUri(rs.getString("uri")).setSha256(rs.getString("sha256"))
                            .setMediaType(rs.getString("media_type")).build();
                    String visitId = rs.getString("visit_id");
                    if (visitId.isEmpty()) {
                        cases.get(rs.getString("case_id")).addAttachments(a);
                    } else {
                        Visit.Builder v = visits.get(rs.getString("case_id") + "/" + visitId);
                        if (v != null) {
                            v.addEvidence(a);
                        }
                    }
                });
        jdbc.sql("""
                SELECT case_id, department FROM %s WHERE case_id IN (:ids)
                ORDER BY case_id, request_sequence, department""".formatted(CASE_ASSISTING_DEPARTMENT))
                .param("ids", ids)
                .query(rs -> { cases.get(rs.getString("case_id")).addAssistingDepartments(rs.getString("department")); });
        jdbc.sql("""
                SELECT case_id, source_case_id FROM %s WHERE case_id IN (:ids)
                ORDER BY case_id, link_sequence, source_case_id""".formatted(CASE_LINKED_REPORT))
                .param("ids", ids).query(rs -> {
                    cases.get(rs.getString("case_id")).addLinkedCases(ResourceNames.caseName(rs.getString("source_case_id")));
                });
    }

    /**
     * The citizen, address and position: opened from the report's envelope the read model keeps
     * (so the database holds them only sealed), or as stored for a report recorded before sealing.
     */
    private void addPersonalData(String caseId, Case.Builder c) {
        jdbc.sql("SELECT * FROM " + CASE_PERSONAL_DATA + " WHERE case_id = :id").param("id", caseId).query(rs -> {
            byte[] sealed = rs.getBytes("sealed");
            if (sealed != null) {
                Envelopes.Opened opened = openReport(sealed);
                CaseReported report = opened.as(CaseReported.class);
                c.setCitizen(report.getCitizen()).setPersonalData(opened.state());
                c.getLocationBuilder().setAddress(report.getLocation().getAddress());
                if (report.getLocation().hasPosition()) {
                    c.getLocationBuilder().setPosition(report.getLocation().getPosition());
                }
                return;
            }
            c.setCitizen(Citizen.newBuilder().setName(rs.getString("citizen_name"))
                    .setPhone(rs.getString("citizen_phone")).setIdNumber(rs.getString("citizen_id_number")));
            c.getLocationBuilder().setAddress(rs.getString("address"));
            c.setPersonalData(PersonalDataState.valueOf(rs.getString("personal_data")));
            double latitude = rs.getDouble("latitude");
            if (!rs.wasNull()) {
                c.getLocationBuilder().setPosition(GeoPoint.newBuilder().setLatitude(latitude)
                        .setLongitude(rs.getDouble("longitude")));
            }
        });
    }

    private Envelopes.Opened openReport(byte[] sealed) {
        try {
            return envelopes.open(CaseReported.newBuilder().setPersonalData(SealedPersonalData.parseFrom(sealed)).build());
        } catch (InvalidProtocolBufferException e) {
            return new Envelopes.Opened(CaseReported.getDefaultInstance(), PersonalDataState.PERSONAL_DATA_STATE_UNAVAILABLE);
        }
    }

    /** An enum stored by name; a name this version does not know reads as unspecified. */
    private static <E extends Enum<E>> E parse(Class<E> type, String name, E unknown) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return unknown;
        }
    }

    private static void text(ResultSet rs, String column, Consumer<String> setter) throws SQLException {
        String value = rs.getString(column);
        if (value != null) {
            setter.accept(value);
        }
    }

    private static void time(ResultSet rs, String column, Consumer<Timestamp> setter) throws SQLException {
        Instant value = instant(rs, column);
        if (value != null) {
            setter.accept(ProtoTime.timestamp(value));
        }
    }
}
