package org.minqing.query.supervision;

import static org.minqing.projections.supervision.SupervisionTables.SUPERVISION_ASSIGNMENT;
import static org.minqing.projections.supervision.SupervisionTables.SUPERVISION_BREACH;
import static org.minqing.projections.supervision.SupervisionTables.SUPERVISION_RESOLUTION;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.minqing.api.v1.Channel;
import org.minqing.api.v1.RateDimension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the supervision facts of a period and adds them up per (period, value of a dimension).
 * The facts are streamed and counted here, not in SQL, so that days, weeks and months follow the
 * request's time zone and the definitions stay in {@link RateCounts}.
 */
final class RateFacts {

    /** Matches facts on the dimensions every fact table carries; empty strings match anything. */
    record Filter(String department, String district, String grid, String category, Channel channel) {

        private void apply(StringBuilder where, List<Object> params) {
            add(where, params, "department", department);
            add(where, params, "district", district);
            add(where, params, "grid", grid);
            add(where, params, "category", category);
            add(where, params, "channel", channel == Channel.CHANNEL_UNSPECIFIED ? "" : channel.name());
        }

        private static void add(StringBuilder where, List<Object> params, String column, String value) {
            if (!value.isEmpty()) {
                where.append(" AND ").append(column).append(" = ?");
                params.add(value);
            }
        }
    }

    record Key(LocalDate periodStart, String value) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byPeriod = periodStart.compareTo(other.periodStart);
            return byPeriod != 0 ? byPeriod : value.compareTo(other.value);
        }
    }

    private final JdbcTemplate jdbc;

    RateFacts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The counts per period and value; with {@code wholePeriod}, one period for the whole range. */
    Map<Key, RateCounts> count(Period period, RateDimension dimension, Filter filter, boolean wholePeriod) {
        String column = switch (dimension) {
            case RATE_DIMENSION_DISTRICT -> "district";
            case RATE_DIMENSION_GRID -> "grid";
            case RATE_DIMENSION_CATEGORY -> "category";
            case RATE_DIMENSION_CHANNEL -> "channel";
            default -> "department";
        };
        Map<Key, RateCounts> counts = new TreeMap<>();
        Bucket bucket = (ms, rs) -> counts.computeIfAbsent(
                new Key(wholePeriod ? period.start() : period.periodOf(ms), rs.getString(1)), k -> new RateCounts());
        scan("SELECT " + column + ", assigned_ms, response_deadline_ms, responded_ms, returned FROM " + SUPERVISION_ASSIGNMENT,
                "assigned_ms", period, filter, rs -> bucket.of(rs.getLong(2), rs)
                        .assignment(rs.getLong(2), nullable(rs, 3), nullable(rs, 4), rs.getBoolean(5)));
        scan("SELECT " + column + ", resolved_ms, handling_start_ms, resolution_deadline_ms, reopened FROM " + SUPERVISION_RESOLUTION,
                "resolved_ms", period, filter, rs -> bucket.of(rs.getLong(2), rs)
                        .resolution(rs.getLong(3), nullable(rs, 4), rs.getLong(2), rs.getBoolean(5)));
        scan("SELECT " + column + ", feedback_ms, solved, satisfaction FROM " + SUPERVISION_RESOLUTION,
                "feedback_ms", period, filter, rs -> bucket.of(rs.getLong(2), rs)
                        .followUp(rs.getBoolean(3), rs.getString(4)));
        scan("SELECT " + column + ", deadline_ms, kind FROM " + SUPERVISION_BREACH,
                "deadline_ms", period, filter, rs -> bucket.of(rs.getLong(2), rs)
                        .breach("DEADLINE_KIND_RESPONSE".equals(rs.getString(3))));
        return counts;
    }

    private interface Bucket {
        RateCounts of(long ms, ResultSet rs) throws SQLException;
    }

    private interface Fact {
        void add(ResultSet rs) throws SQLException;
    }

    private void scan(String select, String timeColumn, Period period, Filter filter, Fact fact) {
        StringBuilder sql = new StringBuilder(select).append(" WHERE ").append(timeColumn).append(" >= ? AND ")
                .append(timeColumn).append(" < ?");
        List<Object> params = new ArrayList<>(List.of(period.fromMillis(), period.toMillis()));
        filter.apply(sql, params);
        jdbc.query(sql.toString(), rs -> {
            fact.add(rs);
        }, params.toArray());
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
