package org.minqing.command.store.kurrentdb;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kurrent.dbclient.ConnectionShutdownException;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.NotLeaderException;
import io.kurrent.dbclient.ReadAllOptions;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.minqing.command.store.EventStoreUnavailableException;

/**
 * The engine's connection to KurrentDB. The client gives up for good (shuts itself down) after a
 * number of failed discovery attempts while the server is down; this holder then creates a new
 * one, so the engine recovers by itself when the server returns. Every wait is bounded by the
 * operation timeout, and failures are translated: unreachable or too slow is
 * {@link EventStoreUnavailableException}, anything else {@link EventStoreException}.
 */
public final class KurrentDbConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KurrentDbConnection.class);
    private static final Metadata.Key<String> EXCEPTION = Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> MAXIMUM_APPEND_SIZE =
            Metadata.Key.of("maximum-append-size", Metadata.ASCII_STRING_MARSHALLER);

    private final String connectionString;
    private final Duration timeout;
    private KurrentDBClient client;
    private boolean closed;

    public KurrentDbConnection(String connectionString, Duration timeout) {
        this.connectionString = connectionString;
        this.timeout = timeout;
        KurrentDBConnectionString.parseOrThrow(connectionString); // a typo fails here, not at the first command
    }

    public synchronized KurrentDBClient client() {
        if (closed) {
            throw new EventStoreUnavailableException("the KurrentDB connection is closed", null);
        }
        if (client == null || client.isShutdown()) {
            client = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(connectionString));
        }
        return client;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Waits for a call's answer, at most the operation timeout; {@code what} names the call in errors. */
    public <T> T await(CompletableFuture<T> call, String what) throws ExecutionException {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new EventStoreUnavailableException(what + ": KurrentDB did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreUnavailableException(what + ": interrupted", e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), what, e);
        }
    }

    /** Unavailability becomes {@link EventStoreUnavailableException}; anything else is the caller's to judge. */
    private ExecutionException translate(Throwable cause, String what, ExecutionException original) {
        if (isUnavailable(cause)) {
            throw new EventStoreUnavailableException(what + ": KurrentDB is unavailable (" + cause + ")", cause);
        }
        return original;
    }

    static boolean isUnavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionShutdownException || cause instanceof NotLeaderException) {
                return true;
            }
            if (cause instanceof StatusRuntimeException status) {
                Status.Code code = status.getStatus().getCode();
                return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                        || code == Status.Code.CANCELLED;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * The server's maximum append size when {@code error} is its refusal of an append larger than
     * that (INVALID_ARGUMENT, {@code exception: maximum-append-size-exceeded}); -1 for any other error.
     */
    static int maximumAppendSizeExceeded(Throwable error) {
        Metadata trailers = Status.trailersFromThrowable(error);
        if (trailers == null || !"maximum-append-size-exceeded".equals(trailers.get(EXCEPTION))) {
            return -1;
        }
        try {
            return Integer.parseInt(String.valueOf(trailers.get(MAXIMUM_APPEND_SIZE)));
        } catch (NumberFormatException unstated) {
            return 0;
        }
    }

    /** The server's version as it reports it (ServerFeatures), or empty when it does not say. */
    public Optional<String> serverVersion() {
        try {
            return await(client().getServerVersion(), "ask the server's version")
                    .map(version -> version.getMajor() + "." + version.getMinor() + "." + version.getPatch());
        } catch (ExecutionException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Fails with a message naming the server when it cannot be reached: used at start-up. */
    public void verifyReachable() {
        try {
            readLatestOfAll();
            log.info("KurrentDB at {}: server version {}", redacted(connectionString),
                    serverVersion().orElse("not reported (no ServerFeatures: the client uses no version-gated feature)"));
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String where = redacted(connectionString) + " (minqing.event-store.kurrentdb.connection-string)";
            Status.Code refusal = Status.fromThrowable(cause).getCode(); // the first gRPC status among the causes
            if (cause.getCause() instanceof NotLeaderException follower) {
                throw new IllegalStateException("KurrentDB at " + where + " is a follower; the leader is at "
                        + follower.getLeaderEndpoint() + ". Name the cluster's nodes with discovery"
                        + " (kurrentdb+discover://…) so the client finds the leader, or connect to the leader", cause);
            }
            if (refusal == Status.Code.UNAUTHENTICATED) {
                throw new IllegalStateException("KurrentDB at " + where + " refused the user and password: "
                        + cause.getMessage(), cause);
            }
            if (refusal == Status.Code.PERMISSION_DENIED) {
                throw new IllegalStateException("KurrentDB at " + where + " does not let this user read $all, which"
                        + " the projections track: connect as a member of $admins or $ops (or grant $all's read"
                        + " access): " + cause.getMessage(), cause);
            }
            throw new IllegalStateException("KurrentDB is not reachable at " + where + ": " + cause.getMessage(), cause);
        }
    }

    private void readLatestOfAll() throws ExecutionException {
        await(client().readAll(ReadAllOptions.get().backwards().fromEnd().maxCount(1).deadline(timeout.toMillis())),
                "start-up check");
    }

    /** The connection string without a password, for messages and logs. */
    static String redacted(String connectionString) {
        return connectionString.replaceAll("(://[^:@/]+:)[^@/]*@", "$1***@");
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null && !client.isShutdown()) {
            try {
                client.shutdown().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException ignored) {
                // Shutting down: nothing left to do with it.
            }
        }
    }
}
