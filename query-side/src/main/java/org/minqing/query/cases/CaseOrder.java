package org.minqing.query.cases;

import java.util.Map;

import org.minqing.transport.FieldViolations;

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

    static final CaseOrder DEFAULT = new CaseOrder("report_time", true, false);

    /** Parses "field" or "field asc|desc"; null after adding a violation. */
    static CaseOrder parse(String orderBy, FieldViolations violations) {
        String[] words = orderBy.strip().split("\\s+");
        if (orderBy.isBlank()) {
            return DEFAULT;
        }
        Boolean nullable = FIELDS.get(words[0]);
        boolean directionOk = words.length == 1
                || (words.length == 2 && (words[1].equalsIgnoreCase("asc") || words[1].equalsIgnoreCase("desc")));
        if (nullable == null || !directionOk) {
            violations.add("order_by", "must be one of report_time, update_time, response_deadline, "
                    + "resolution_deadline, optionally followed by \" asc\" or \" desc\"; was \"" + orderBy + "\"");
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
     * The same order, led by a column the list is filtered to one value of: that changes nothing
     * in the result, but lets H2 read the rows in the order of the matching newest-first index
     * (V5__newest_first_list_indexes.sql) instead of sorting every match.
     */
    String orderBy(String equalityFilteredColumn) {
        boolean indexed = equalityFilteredColumn != null && column.equals("report_time") && descending;
        return indexed ? equalityFilteredColumn + ", " + orderBy() : orderBy();
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
