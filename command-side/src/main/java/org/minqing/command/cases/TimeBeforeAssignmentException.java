package org.minqing.command.cases;

import java.time.Instant;

/**
 * A contact or check-in reported as happening before the case reached its current department:
 * it would make the response look earlier than it can have been. The transport answers
 * INVALID_ARGUMENT on {@link #field()}.
 */
public class TimeBeforeAssignmentException extends RuntimeException {

    private final String field;

    public TimeBeforeAssignmentException(String field, Instant time, Instant assignedAt) {
        super("must not be before " + assignedAt + ", when the case was dispatched to its department; was " + time);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
