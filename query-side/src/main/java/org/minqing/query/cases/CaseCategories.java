package org.minqing.query.cases;

import static org.minqing.projections.summary.CaseSummaryTables.CASE_SUMMARY;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The categories the cases carry, with how many cases carry each (from the case summary). */
public final class CaseCategories {

    private final JdbcClient jdbc;

    public CaseCategories(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.sql("SELECT category, COUNT(*) AS cases FROM " + CASE_SUMMARY + " GROUP BY category ORDER BY category")
                .query(rs -> {
                    counts.put(rs.getString("category"), rs.getLong("cases"));
                });
        return counts;
    }
}
