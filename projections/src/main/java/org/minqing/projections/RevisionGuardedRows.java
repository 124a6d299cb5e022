package org.minqing.projections;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A read model's one row per case, updated so that each event is applied at most once: the
 * row's {@code revision} counts the case's events it reflects, and an update for an event it
 * already reflects (a processor replaying after a crash) changes nothing.
 */
public final class RevisionGuardedRows {

    private final JdbcTemplate jdbc;
    private final String table;

    public RevisionGuardedRows(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    /**
     * Applies {@code assignments} (may be empty) and the revision of the event at {@code seq},
     * unless the row already reflects it. Returns whether the row changed.
     */
    public boolean update(String caseId, long seq, String assignments, Object... args) {
        List<Object> params = new ArrayList<>(Arrays.asList(args));
        params.addAll(List.of(seq + 1, caseId, seq));
        String set = (assignments.isBlank() ? "" : assignments + ", ") + "revision = ?";
        return jdbc.update("UPDATE " + table + " SET " + set + " WHERE case_id = ? AND revision <= ?",
                params.toArray()) > 0;
    }
}
