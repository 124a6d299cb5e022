package org.minqing.command.store;

import java.sql.SQLException;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.springframework.dao.DuplicateKeyException;

/**
 * Recognises a unique-constraint violation by its SQL state (23505, the same on H2 and
 * PostgreSQL), so that Axon reports a lost race on a case's next sequence number as a
 * {@code ConcurrencyException}, which command handling retries, rather than a storage failure.
 * Axon's error-code resolver needs the vendor's Spring error-code table, which H2 2.4 lacks.
 */
class UniqueViolationResolver implements PersistenceExceptionResolver {

    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof DuplicateKeyException) {
                return true;
            }
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
