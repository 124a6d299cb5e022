package org.minqing.edge;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import org.minqing.api.requests.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * How a service answers: with the value, or with a status the client can act on — never UNKNOWN.
 * A status thrown on purpose passes through; a request refused for its fields becomes
 * INVALID_ARGUMENT with the {@code BadRequest} naming them; a database that cannot be reached
 * becomes UNAVAILABLE (safe to retry); anything else is a bug, logged and answered INTERNAL.
 */
public final class Responses {

    private static final Logger log = LoggerFactory.getLogger(Responses.class);
    /** What HikariCP's stand-in for an evicted connection says to every call. */
    private static final String EVICTED_CONNECTION = "Connection is closed";

    private Responses() {
    }

    /** Answers a unary call with what {@code answer} supplies, or with the status it failed with. */
    public static <T> void respond(StreamObserver<T> observer, Supplier<T> answer) {
        T response;
        try {
            response = answer.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /** The status for a failure that is not already one. */
    public static StatusRuntimeException toStatus(RuntimeException error) {
        if (error instanceof StatusRuntimeException status) {
            return status;
        }
        if (error instanceof InvalidRequestException invalid) {
            return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(Code.INVALID_ARGUMENT_VALUE)
                    .setMessage(invalid.getMessage())
                    .addDetails(Any.pack(invalid.badRequest()))
                    .build());
        }
        if (storeUnavailable(error)) {
            log.warn("store unavailable", error);
            return Status.UNAVAILABLE.withDescription("the store is unavailable; retry").asRuntimeException();
        }
        log.error("request failed", error);
        return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }

    /**
     * The database could not be reached or went away mid-transaction, so nothing was committed (or
     * a commit's fate is unknown, which request ids make safe to retry). Spring's translation is
     * used where it happened; raw SQL exceptions (wrapped by Axon's event store) are judged by SQL
     * state: 08 connection, 57P operator intervention such as a restart, 53 insufficient resources.
     * A connection the pool has already evicted as broken answers every later call with a bare
     * "Connection is closed" and no state; that happens when a framework caught the first failure
     * and went on with the same connection (Axon does for a failed snapshot read).
     */
    public static boolean storeUnavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof CannotCreateTransactionException || cause instanceof TransactionSystemException
                    || cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")
                    || sql.getSQLState().startsWith("53"))) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() == null
                    && EVICTED_CONNECTION.equals(sql.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
