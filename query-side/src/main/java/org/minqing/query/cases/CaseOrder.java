package org.minqing.query.cases;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.minqing.api.requests.FieldViolations;

/**
 * The order of a case list: one column, then the case id, in one direction. Deadlines may be
 * unset; such cases come last in either direction.
 *
 * @param column     a {@code case_summary} column
 * @param descending whether newest/latest first
 * @param nullable   whether the column can be NULL
 */
record CaseOrder(String column, boolean descending, boolean nullable) {

    /** The order_by fields the API accepts, and whether their column can be NULL. */
    private static final Map<String, Boolean> FIELDS = Map.of(
            "report_time", false, "update_time", false, "response_deadline", true, "resolution_deadline", true);

    /** Longer than any valid order_by with generous spacing; checked before anything else. */
    static final int MAX_LENGTH = 64;

    static final CaseOrder DEFAULT = new CaseOrder("report_time", true, false);

    /**
     * For each order with indexes, the columns that lead one (most selective first): a list filtered
     * to one value of such a column is read in index order rather than sorted. Newest reports first
     * for every filter (V5); recently updated first by state (V6: "what changed in this state");
     * soonest resolution deadline first by department and grid (V6: a department's or a grid
     * worker's queue).
     */
    private static final Map<CaseOrder, List<String>> INDEXED_BY = Map.of(
            DEFAULT, List.of("grid", "department", "district", "category", "channel", "state"),
            new CaseOrder("update_time", true, false), List.of("state"),
            new CaseOrder("resolution_deadline", false, true), List.of("grid", "department"));

    /** Parses "field" or "field asc|desc"; null after adding a violation. */
    static CaseOrder parse(String orderBy, FieldViolations violations) {
        if (orderBy.length() > MAX_LENGTH) {
            violations.limitText("order_by", orderBy, MAX_LENGTH);
            return null;
        }
        if (orderBy.isBlank()) {
            return DEFAULT;
        }
        String[] words = orderBy.strip().split("\\s+");
        Boolean nullable = FIELDS.get(words[0]);
        boolean directionOk = words.length == 1
                || (words.length == 2 && (words[1].equalsIgnoreCase("asc") || words[1].equalsIgnoreCase("desc")));
        if (nullable == null || !directionOk) {
            violations.add("order_by", "must be one of report_time, update_time, response_deadline, "
                    + "resolution_deadline, optionally followed by \" asc\" or \" desc\"; was " + FieldViolations.quote(orderBy));
            return null;
        }
        // AIP-132: ascending unless stated; the API's default order alone is newest first.
        boolean descending = words.length == 2 && words[1].equalsIgnoreCase("desc");
        return new CaseOrder(words[0], descending, nullable);
    }

    String orderBy() {
        String direction = descending ? " DESC" : " ASC";
        return column + direction + (nullable ? " NULLS LAST" : "") + ", case_id" + direction;
    }

    /**
     * The same order, led by a column the list is filtered to one value of, when an index starts
     * with that column and continues in this order: that changes nothing in the result, but H2 uses
     * an index for ORDER BY only when the ORDER BY names the index's columns, so it reads the rows
     * in index order instead of sorting every match.
     *
     * @param equalityFiltered the columns the list is filtered to exactly one value of
     */
    String orderBy(Set<String> equalityFiltered) {
        return INDEXED_BY.getOrDefault(this, List.of()).stream().filter(equalityFiltered::contains).findFirst()
                .map(leading -> leading + ", " + orderBy()).orElse(orderBy());
    }

    /** Rows after the position (:after_value, :after_id) in this order; :after_value may be NULL. */
    String after(boolean valueIsNull) {
        String cmp = descending ? "<" : ">";
        if (valueIsNull) {
            return "(" + column + " IS NULL AND case_id " + cmp + " :after_id)";
        }
        return "(" + column + " " + cmp + " :after_value OR (" + column + " = :after_value AND case_id " + cmp
                + " :after_id)" + (nullable ? " OR " + column + " IS NULL" : "") + ")";
    }
}
