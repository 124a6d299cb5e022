package org.minqing.query.cases;

import java.time.Instant;

/**
 * When a step is overdue: it has a deadline, and it was completed after it, or is not complete
 * and the deadline has passed. The response completes at {@code response_time} (acknowledged
 * and citizen contacted), the resolution at {@code resolve_time}. Computed at read time, so
 * the flags are right whatever the projections last saw.
 */
final class Overdue {

    /** SQL for "response or resolution overdue"; both parameters are {@code :now}. */
    static final String SQL = """
            ((response_deadline IS NOT NULL AND (response_time > response_deadline
                  OR (response_time IS NULL AND response_deadline < :now)))
             OR (resolution_deadline IS NOT NULL AND (resolve_time > resolution_deadline
                  OR (resolve_time IS NULL AND resolution_deadline < :now))))""";

    private Overdue() {
    }

    static boolean isOverdue(Instant deadline, Instant completed, Instant now) {
        if (deadline == null) {
            return false;
        }
        return completed != null ? completed.isAfter(deadline) : now.isAfter(deadline);
    }
}
