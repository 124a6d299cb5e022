package org.minqing.query.supervision;

import static org.minqing.projections.supervision.SupervisionTables.SUPERVISION_CASE;
import static org.minqing.projections.supervision.SupervisionTables.SUPERVISION_HISTORY;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.Timestamp;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.RequestChecks;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.DeadlineKind;
import org.minqing.api.v1.ListWorklistItemsRequest;
import org.minqing.api.v1.ListWorklistItemsResponse;
import org.minqing.api.v1.ProtoTime;
import org.minqing.api.v1.SupervisionAction;
import org.minqing.api.v1.SupervisionRecord;
import org.minqing.api.v1.Urgency;
import org.minqing.api.v1.WorklistFilter;
import org.minqing.api.v1.WorklistItem;
import org.minqing.api.v1.WorklistStatus;
import org.minqing.projections.SqlTimes;
import org.minqing.query.paging.PageTokens;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worklist: cases with a pending deadline that has passed (overdue) or has used up the
 * configured share of its time limit (at risk), computed against the clock when read. Sorted by
 * the earliest pending deadline, so the longest overdue comes first; paged by keyset on
 * (that deadline, case id).
 */
public final class Worklist {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 1000;
    /** The statuses a filter may list. */
    private static final Set<WorklistStatus> STATUSES =
            EnumSet.of(WorklistStatus.WORKLIST_STATUS_AT_RISK, WorklistStatus.WORKLIST_STATUS_OVERDUE);

    /** Whether a pending deadline has used up the share: (now - start) / (deadline - start) >= share, in integers. */
    private static final String AT_RISK = """
            ((response_deadline_ms IS NOT NULL
                AND (:now - response_start_ms) * 1000 >= (response_deadline_ms - response_start_ms) * :permille)
             OR (resolution_deadline_ms IS NOT NULL
                AND (:now - resolution_start_ms) * 1000 >= (resolution_deadline_ms - resolution_start_ms) * :permille))""";

    private final JdbcClient jdbc;
    /** Items and their histories are two queries; one snapshot keeps them from different moments. */
    private final TransactionTemplate snapshot;
    private final Clock clock;
    private final long permille;

    public Worklist(JdbcClient jdbc, TransactionTemplate snapshot, Clock clock, SupervisionProperties properties) {
        this.jdbc = jdbc;
        this.snapshot = snapshot;
        this.clock = clock;
        this.permille = properties.atRiskPermille();
    }

    public ListWorklistItemsResponse list(ListWorklistItemsRequest request) {
        FieldViolations violations = new FieldViolations();
        validate(request.getFilter(), violations);
        int pageSize = PageTokens.pageSize(request.getPageSize(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, violations);
        String fingerprint = PageTokens.fingerprint(request);
        List<String> position = PageTokens.decode(request.getPageToken(), fingerprint, 2, violations);
        Long afterDeadline = null;
        if (position != null && !position.isEmpty()) {
            try {
                afterDeadline = Long.parseLong(position.get(0));
            } catch (NumberFormatException e) {
                PageTokens.malformed(violations);
            }
        }
        violations.throwIfAny();
        List<WorklistItem> items = read(request.getFilter(), afterDeadline,
                afterDeadline == null ? "" : position.get(1), pageSize + 1);
        ListWorklistItemsResponse.Builder response = ListWorklistItemsResponse.newBuilder()
                .addAllWorklistItems(items.subList(0, Math.min(pageSize, items.size())));
        if (items.size() > pageSize) {
            WorklistItem last = items.get(pageSize - 1);
            response.setNextPageToken(PageTokens.encode(fingerprint, List.of(
                    Long.toString(millis(last.getDeadline())), last.getCase().substring("cases/".length()))));
        }
        return response.build();
    }

    public static void validate(WorklistFilter filter, FieldViolations violations) {
        RequestChecks.distinctValues("filter.statuses", filter.getStatusesList(), STATUSES, violations);
        SupervisionReports.filter(filter.getDepartment(), filter.getDistrict(), filter.getGrid(), filter.getCategory(),
                filter.getChannel(), violations);
        violations.check(filter.getUrgency() != Urgency.UNRECOGNIZED, "filter.urgency", "is not a known urgency");
    }

    /** Up to {@code limit} items after the position (none: from the start), most urgent first. */
    public List<WorklistItem> read(WorklistFilter filter, Long afterDeadline, String afterCase, int limit) {
        return snapshot.execute(status -> readInSnapshot(filter, afterDeadline, afterCase, limit));
    }

    private List<WorklistItem> readInSnapshot(WorklistFilter filter, Long afterDeadline, String afterCase, int limit) {
        Instant now = clock.instant();
        Map<String, Object> params = new HashMap<>();
        params.put("now", now.toEpochMilli());
        params.put("permille", permille);
        StringBuilder where = new StringBuilder("next_deadline_ms IS NOT NULL");
        boolean overdue = filter.getStatusesCount() == 0 || filter.getStatusesList().contains(WorklistStatus.WORKLIST_STATUS_OVERDUE);
        boolean atRisk = filter.getStatusesCount() == 0 || filter.getStatusesList().contains(WorklistStatus.WORKLIST_STATUS_AT_RISK);
        if (overdue && atRisk) {
            where.append(" AND (next_deadline_ms <= :now OR ").append(AT_RISK).append(")");
        } else if (overdue) {
            where.append(" AND next_deadline_ms <= :now");
        } else {
            where.append(" AND next_deadline_ms > :now AND ").append(AT_RISK);
        }
        equal(where, params, "department", filter.getDepartment());
        equal(where, params, "district", filter.getDistrict());
        equal(where, params, "grid", filter.getGrid());
        equal(where, params, "category", filter.getCategory());
        equal(where, params, "channel", filter.getChannel() == Channel.CHANNEL_UNSPECIFIED ? "" : filter.getChannel().name());
        equal(where, params, "urgency", filter.getUrgency() == Urgency.URGENCY_UNSPECIFIED ? "" : filter.getUrgency().name());
        if (afterDeadline != null) {
            where.append(" AND (next_deadline_ms > :afterDeadline OR (next_deadline_ms = :afterDeadline AND case_id > :afterCase))");
            params.put("afterDeadline", afterDeadline);
            params.put("afterCase", afterCase);
        }
        params.put("limit", limit);
        Map<String, WorklistItem.Builder> items = new LinkedHashMap<>();
        jdbc.sql("SELECT * FROM " + SUPERVISION_CASE + " WHERE " + where
                        + " ORDER BY next_deadline_ms, case_id FETCH FIRST :limit ROWS ONLY")
                .params(params)
                .query((rs, i) -> item(rs, now))
                .list()
                .forEach(item -> items.put(item.getCase().substring("cases/".length()), item));
        if (!items.isEmpty()) {
            jdbc.sql("SELECT * FROM " + SUPERVISION_HISTORY + " WHERE case_id IN (:ids) ORDER BY case_id, sequence")
                    .param("ids", new ArrayList<>(items.keySet()))
                    .query(rs -> {
                        items.get(rs.getString("case_id")).addSupervisionHistory(SupervisionRecord.newBuilder()
                                .setAction(SupervisionAction.valueOf(rs.getString("action")))
                                .setTime(ProtoTime.timestamp(SqlTimes.instant(rs, "action_time")))
                                .setActor(rs.getString("actor"))
                                .setText(rs.getString("text")));
                    });
        }
        return items.values().stream().map(WorklistItem.Builder::build).toList();
    }

    private WorklistItem.Builder item(ResultSet rs, Instant now) throws SQLException {
        long next = rs.getLong("next_deadline_ms");
        Long response = nullable(rs, "response_deadline_ms");
        Long resolution = nullable(rs, "resolution_deadline_ms");
        boolean responseFirst = response != null && response == next;
        WorklistItem.Builder item = WorklistItem.newBuilder()
                .setCase("cases/" + rs.getString("case_id"))
                .setTitle(rs.getString("title"))
                .setState(CaseState.valueOf(rs.getString("state")))
                .setDepartment(rs.getString("department"))
                .setDistrict(rs.getString("district"))
                .setGrid(rs.getString("grid"))
                .setCategory(rs.getString("category"))
                .setChannel(Channel.valueOf(rs.getString("channel")))
                .setUrgency(Urgency.valueOf(rs.getString("urgency")))
                .setStatus(next <= now.toEpochMilli() ? WorklistStatus.WORKLIST_STATUS_OVERDUE : WorklistStatus.WORKLIST_STATUS_AT_RISK)
                .setDeadlineKind(responseFirst ? DeadlineKind.DEADLINE_KIND_RESPONSE : DeadlineKind.DEADLINE_KIND_RESOLUTION)
                .setDeadline(timestamp(next))
                .setUrgeCount(rs.getInt("urge_count"))
                .setSupervised(rs.getBoolean("supervised"))
                .setExtensionPending(rs.getBoolean("extension_pending"));
        if (response != null) {
            item.setResponseDeadline(timestamp(response));
        }
        if (resolution != null) {
            item.setResolutionDeadline(timestamp(resolution));
        }
        return item;
    }

    private static void equal(StringBuilder where, Map<String, Object> params, String column, String value) {
        if (!value.isEmpty()) {
            where.append(" AND ").append(column).append(" = :").append(column);
            params.put(column, value);
        }
    }

    private static Long nullable(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Timestamp timestamp(long millis) {
        return Timestamp.newBuilder().setSeconds(Math.floorDiv(millis, 1000)).setNanos((int) Math.floorMod(millis, 1000) * 1_000_000).build();
    }

    private static long millis(Timestamp t) {
        return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
    }
}
