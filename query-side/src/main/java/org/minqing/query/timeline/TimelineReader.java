package org.minqing.query.timeline;

import static org.minqing.projections.summary.CaseSummaryTables.CASE_SUMMARY;
import static org.minqing.projections.timeline.TimelineTables.CASE_TIMELINE;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import org.minqing.api.requests.ResourceNames;
import org.minqing.api.v1.Actor;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.ProtoTime;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.projections.SqlTimes;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads a case's entries from {@code case_timeline}, in sequence order. */
public final class TimelineReader {

    /** States after which a case records nothing more: its timeline is complete. */
    private static final Set<String> FINAL_STATES = Set.of(CaseState.CASE_STATE_CLOSED.name(),
            CaseState.CASE_STATE_REJECTED.name(), CaseState.CASE_STATE_MERGED.name());

    private final JdbcClient jdbc;

    public TimelineReader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} entries from {@code fromSequence} on. */
    public List<TimelineEntry> read(String caseId, long fromSequence, int limit) {
        return jdbc.sql("""
                SELECT * FROM %s WHERE case_id = :id AND sequence >= :from
                ORDER BY sequence LIMIT :limit""".formatted(CASE_TIMELINE))
                .param("id", caseId).param("from", fromSequence).param("limit", limit)
                .query((rs, n) -> entry(rs))
                .list();
    }

    /** An entry of the change feed, at its position in it. */
    public record FeedEntry(long position, TimelineEntry entry) {
    }

    /** The feed's last position now (0 while it is empty): a feed "from now on" goes on after it. */
    public long feedHead() {
        return jdbc.sql("SELECT COALESCE(MAX(feed_position), 0) FROM " + CASE_TIMELINE).query(Long.class).single();
    }

    /**
     * Up to {@code limit} entries after {@code position}, in feed order, of every case or, when
     * {@code reportedBy} is set, of the cases that partner system reported (the partner system of
     * a case's first entry, which the timeline wrote before any other entry of the case).
     */
    public List<FeedEntry> feed(long position, int limit, String reportedBy) {
        String reporter = reportedBy == null ? "" : """
                JOIN %s r ON r.case_id = t.case_id AND r.sequence = 0 AND r.partner_system = :reporter""".formatted(CASE_TIMELINE);
        var statement = jdbc.sql("""
                SELECT t.* FROM %s t %s WHERE t.feed_position > :after
                ORDER BY t.feed_position LIMIT :limit""".formatted(CASE_TIMELINE, reporter))
                .param("after", position).param("limit", limit);
        if (reportedBy != null) {
            statement = statement.param("reporter", reportedBy);
        }
        return statement.query((rs, n) -> new FeedEntry(rs.getLong("feed_position"), entry(rs))).list();
    }

    private static TimelineEntry entry(ResultSet rs) throws SQLException {
        String caseId = rs.getString("case_id");
        return TimelineEntry.newBuilder()
                .setName(ResourceNames.caseName(caseId) + "/timelineEntries/" + rs.getLong("sequence"))
                .setSequence(rs.getLong("sequence"))
                .setEventTime(ProtoTime.timestamp(SqlTimes.instant(rs, "event_time")))
                .setEventType(rs.getString("event_type"))
                .setActor(Actor.newBuilder().setId(rs.getString("actor_id")).setRole(rs.getString("actor_role"))
                        .setOrganization(rs.getString("actor_organization")))
                .setPartnerSystem(rs.getString("partner_system"))
                .setSummary(rs.getString("summary"))
                .setCorrelationId(rs.getString("correlation_id"))
                .setRequestId(rs.getString("request_id"))
                .build();
    }

    /** Whether either read model knows the case (they are built independently and may lag each other). */
    public boolean exists(String caseId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM %s WHERE case_id = :id
                UNION ALL SELECT COUNT(*) FROM %s WHERE case_id = :id AND sequence = 0""".formatted(CASE_SUMMARY, CASE_TIMELINE))
                .param("id", caseId).query(Long.class).list().stream().anyMatch(count -> count > 0);
    }

    /**
     * Whether the timeline has all of a finished case's entries before {@code nextSequence}: the
     * summary says the case is closed, rejected or merged, after {@code nextSequence} events.
     */
    public boolean isComplete(String caseId, long nextSequence) {
        return jdbc.sql("SELECT state, revision FROM " + CASE_SUMMARY + " WHERE case_id = :id").param("id", caseId)
                .query((rs, n) -> FINAL_STATES.contains(rs.getString("state")) && nextSequence >= rs.getLong("revision"))
                .optional().orElse(false);
    }
}
