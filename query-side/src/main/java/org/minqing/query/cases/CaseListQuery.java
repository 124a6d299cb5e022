package org.minqing.query.cases;

import static org.minqing.projections.summary.CaseSummaryTables.CASE_SUMMARY;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.protobuf.Timestamp;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.RequestChecks;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.ListCasesRequest;
import org.minqing.api.v1.ListCasesResponse;
import org.minqing.projections.SqlTimes;
import org.minqing.query.paging.PageTokens;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * ListCases: the supervisors' worklists. Filters and order become SQL on {@code case_summary};
 * pages are cut by keyset (the last row's sort value and case id), so a page costs the same
 * wherever it is and concurrent changes never shift rows between pages. Never personal data.
 */
public final class CaseListQuery {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 1000;
    /** Codes (department, district, grid, category) are at most this long, as everywhere in the API. */
    static final int MAX_CODE = 128;
    /** How many states a list may filter by: each known state at most once. */
    /** The states a list may filter by, each at most once. */
    static final Set<CaseState> KNOWN_STATES =
            EnumSet.complementOf(EnumSet.of(CaseState.CASE_STATE_UNSPECIFIED, CaseState.UNRECOGNIZED));
    private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** The instants a protobuf Timestamp can hold: years 1 to 9999. Anything else in a token is forged. */
    private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final JdbcClient jdbc;
    private final CaseReader reader;
    private final Clock clock;

    public CaseListQuery(JdbcClient jdbc, CaseReader reader, Clock clock) {
        this.jdbc = jdbc;
        this.reader = reader;
        this.clock = clock;
    }

    public ListCasesResponse list(ListCasesRequest request) {
        return list(request, null);
    }

    /** Only the cases {@code partnerSystem} reported, when it is not null (a partner's own list). */
    public ListCasesResponse list(ListCasesRequest request, String partnerSystem) {
        FieldViolations violations = new FieldViolations();
        int pageSize = PageTokens.pageSize(request.getPageSize(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, violations);
        CaseOrder order = CaseOrder.parse(request.getOrderBy(), violations);
        Instant now = clock.instant();
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        filter(request, now, where, params, violations);
        if (partnerSystem != null) {
            where.append(" AND partner_system = :partnerSystem");
            params.put("partnerSystem", partnerSystem);
        }
        String fingerprint = PageTokens.fingerprint(request);
        List<String> position = PageTokens.decode(request.getPageToken(), fingerprint, 2, violations);
        if (order != null && position != null && !position.isEmpty()) {
            after(order, position, where, params, violations);
        }
        violations.throwIfAny();

        params.put("limit", pageSize + 1);
        Map<String, Case.Builder> cases = new LinkedHashMap<>();
        List<String> lastPosition = new ArrayList<>();
        boolean[] more = {false};
        jdbc.sql("SELECT * FROM " + CASE_SUMMARY + " WHERE " + where + " ORDER BY " + order.orderBy(equalityFiltered(request))
                        + " LIMIT :limit")
                .params(params)
                .query(rs -> {
                    if (cases.size() == pageSize) {
                        more[0] = true; // the extra row only tells that there is a next page
                        return;
                    }
                    Case.Builder c = reader.summary(rs, now);
                    String caseId = rs.getString("case_id");
                    cases.put(caseId, c);
                    Instant sortValue = SqlTimes.instant(rs, order.column());
                    lastPosition.clear();
                    lastPosition.add(sortValue == null ? "" : sortValue.toString());
                    lastPosition.add(caseId);
                });
        reader.complete(cases);
        ListCasesResponse.Builder response = ListCasesResponse.newBuilder();
        cases.values().forEach(response::addCases);
        if (more[0]) {
            response.setNextPageToken(PageTokens.encode(fingerprint, lastPosition));
        }
        return response.build();
    }

    private void filter(ListCasesRequest request, Instant now, StringBuilder where, Map<String, Object> params,
                        FieldViolations violations) {
        if (request.getStatesCount() > 0) {
            RequestChecks.distinctValues("states", request.getStatesList(), KNOWN_STATES, violations);
            where.append(" AND state IN (:states)");
            params.put("states", request.getStatesList().stream().filter(s -> s != CaseState.UNRECOGNIZED)
                    .map(Enum::name).toList());
        }
        equal("department", request.getDepartment(), where, params, violations);
        equal("district", request.getDistrict(), where, params, violations);
        equal("grid", request.getGrid(), where, params, violations);
        equal("category", request.getCategory(), where, params, violations);
        if (request.getChannel() == Channel.UNRECOGNIZED) {
            violations.add("channel", "unknown channel");
        } else if (request.getChannel() != Channel.CHANNEL_UNSPECIFIED) {
            equal("channel", request.getChannel().name(), where, params, violations);
        }
        if (request.getOverdueOnly()) {
            where.append(" AND ").append(Overdue.SQL);
            params.put("now", SqlTimes.of(now));
        }
        range("report_time", request.hasReportTimeFrom(), request.getReportTimeFrom(), request.hasReportTimeTo(),
                request.getReportTimeTo(), where, params, violations);
        range("update_time", request.hasUpdateTimeFrom(), request.getUpdateTimeFrom(), request.hasUpdateTimeTo(),
                request.getUpdateTimeTo(), where, params, violations);
    }

    /** {@code <column>_from} ≤ column < {@code <column>_to}, each bound optional. */
    private static void range(String column, boolean hasFrom, Timestamp fromValue, boolean hasTo,
                              Timestamp toValue, StringBuilder where, Map<String, Object> params,
                              FieldViolations violations) {
        Instant from = RequestChecks.instant(column + "_from", hasFrom, fromValue, violations);
        Instant to = RequestChecks.instant(column + "_to", hasTo, toValue, violations);
        if (from != null) {
            where.append(" AND ").append(column).append(" >= :").append(column).append("_from");
            params.put(column + "_from", SqlTimes.of(from));
        }
        if (to != null) {
            where.append(" AND ").append(column).append(" < :").append(column).append("_to");
            params.put(column + "_to", SqlTimes.of(to));
        }
        if (from != null && to != null) {
            violations.check(to.isAfter(from), column + "_to", "must be after " + column + "_from");
        }
    }

    /** The columns the request filters to exactly one value of. */
    private static Set<String> equalityFiltered(ListCasesRequest request) {
        Set<String> columns = new HashSet<>();
        Map.of("grid", request.getGrid(), "department", request.getDepartment(), "district", request.getDistrict(),
                "category", request.getCategory()).forEach((column, value) -> {
                    if (!value.isEmpty()) {
                        columns.add(column);
                    }
                });
        if (request.getChannel() != Channel.CHANNEL_UNSPECIFIED) {
            columns.add("channel");
        }
        if (request.getStatesCount() == 1) {
            columns.add("state");
        }
        return columns;
    }

    private static void equal(String column, String value, StringBuilder where, Map<String, Object> params,
                              FieldViolations violations) {
        violations.limitText(column, value, MAX_CODE);
        if (!value.isEmpty()) {
            where.append(" AND ").append(column).append(" = :").append(column);
            params.put(column, value);
        }
    }

    private static void after(CaseOrder order, List<String> position, StringBuilder where, Map<String, Object> params,
                              FieldViolations violations) {
        String value = position.get(0);
        String caseId = position.get(1);
        try {
            Instant sortValue = value.isEmpty() ? null : Instant.parse(value);
            if (!CASE_ID.matcher(caseId).matches() || (sortValue == null && !order.nullable())
                    || (sortValue != null && (sortValue.isBefore(MIN_TIME) || sortValue.isAfter(MAX_TIME)))) {
                PageTokens.malformed(violations);
                return;
            }
            where.append(" AND ").append(order.after(sortValue == null));
            if (sortValue != null) {
                params.put("after_value", SqlTimes.of(sortValue));
            }
            params.put("after_id", caseId);
        } catch (DateTimeParseException e) {
            PageTokens.malformed(violations);
        }
    }
}
