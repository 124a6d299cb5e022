package org.minqing.edge.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.ResourceNames;
import org.minqing.api.v1.Actor;
import org.minqing.api.v1.ListPersonalDataReadsRequest;
import org.minqing.api.v1.ListPersonalDataReadsResponse;
import org.minqing.api.v1.PersonalDataRead;
import org.minqing.api.v1.ProtoTime;
import org.minqing.edge.Caller;
import org.minqing.edge.CorrelationIdInterceptor;
import org.minqing.query.paging.PageTokens;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The record of who read citizens' personal data (PIPL): a row per read that returns it, written
 * before the data is sent, so a read that could not be recorded returns nothing (the store's
 * failure is the caller's UNAVAILABLE). Auditors list it through
 * {@code AuditService.ListPersonalDataReads}.
 */
public class PersonalDataReads {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    public PersonalDataReads(JdbcTemplate jdbc) {
        this.jdbc = JdbcClient.create(jdbc);
    }

    /**
     * Records that the current caller is reading personal data through {@code rpc}.
     *
     * @param caseId the case read, or null for the whole log
     */
    public void record(String rpc, String caseId, String detail) {
        Caller caller = Caller.current();
        jdbc.sql("""
                        INSERT INTO personal_data_read (read_time, actor_id, actor_role, actor_organization, rpc, case_id,
                            correlation_id, detail)
                        VALUES (:time, :actor, :role, :organization, :rpc, :case, :correlation, :detail)""")
                .param("time", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .param("actor", caller.id()).param("role", caller.role()).param("organization", caller.organization())
                .param("rpc", rpc).param("case", caseId).param("correlation", CorrelationIdInterceptor.current())
                .param("detail", detail.length() > 200 ? detail.substring(0, 200) : detail)
                .update();
    }

    /** Newest first, optionally one case's. */
    ListPersonalDataReadsResponse list(ListPersonalDataReadsRequest request) {
        FieldViolations violations = new FieldViolations();
        String caseId = request.getCase().isEmpty() ? null : ResourceNames.caseId("case", request.getCase(), violations);
        int pageSize = PageTokens.pageSize(request.getPageSize(), DEFAULT_PAGE, MAX_PAGE, violations);
        String fingerprint = PageTokens.fingerprint(request);
        List<String> position = PageTokens.decode(request.getPageToken(), fingerprint, 1, violations);
        long before = Long.MAX_VALUE;
        if (position != null && !position.isEmpty()) {
            try {
                before = Long.parseLong(position.get(0));
            } catch (NumberFormatException e) {
                PageTokens.malformed(violations);
            }
        }
        violations.throwIfAny();
        List<Row> rows = jdbc.sql("SELECT * FROM personal_data_read WHERE id < :before"
                        + (caseId != null ? " AND case_id = :case" : "") + " ORDER BY id DESC LIMIT :limit")
                .param("before", before).param("case", caseId).param("limit", pageSize + 1)
                .query((rs, n) -> new Row(rs.getLong("id"), PersonalDataRead.newBuilder()
                        .setReadTime(ProtoTime.timestamp(rs.getObject("read_time", OffsetDateTime.class).toInstant()))
                        .setActor(Actor.newBuilder().setId(rs.getString("actor_id")).setRole(rs.getString("actor_role"))
                                .setOrganization(rs.getString("actor_organization")))
                        .setRpc(rs.getString("rpc"))
                        .setCase(rs.getString("case_id") == null ? "" : ResourceNames.caseName(rs.getString("case_id")))
                        .setCorrelationId(rs.getString("correlation_id"))
                        .setDetail(rs.getString("detail"))
                        .build()))
                .list();
        ListPersonalDataReadsResponse.Builder response = ListPersonalDataReadsResponse.newBuilder();
        rows.stream().limit(pageSize).forEach(row -> response.addPersonalDataReads(row.read()));
        if (rows.size() > pageSize) {
            response.setNextPageToken(PageTokens.encode(fingerprint, List.of(Long.toString(rows.get(pageSize - 1).id()))));
        }
        return response.build();
    }

    private record Row(long id, PersonalDataRead read) {
    }
}
