package org.minqing.command.handling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.minqing.api.v1.CaseChange;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each client request at most once (AIP-155). The first outcome of a (caller, request id) is
 * stored in the same transaction as the events the command appends, so either both are recorded
 * or neither is; a retry finds the stored outcome and returns it without touching the case.
 *
 * <p>Writers to one case take turns: in this process ({@link CaseLocks}) and, on PostgreSQL, across
 * processes ({@link DatabaseCaseLock}). A command that still loses an optimistic-concurrency race
 * (another writer appended first) is run again on the fresh history after a random, growing pause,
 * a few times, before the conflict reaches the client.
 */
@Component
public class IdempotentCommandGateway {

    static final int ATTEMPTS = 5;

    private final CaseLocks caseLocks = new CaseLocks();
    private final DatabaseCaseLock databaseCaseLock;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public IdempotentCommandGateway(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.databaseCaseLock = new DatabaseCaseLock(jdbc);
        this.transactions = transactions;
        this.clock = Clock.systemUTC();
    }

    /**
     * @param caseId    the case the command changes
     * @param principal the caller: request ids are scoped to it
     * @param method    the RPC, part of what makes two requests "the same"
     * @param requestId the client's idempotency key
     * @param request   the whole request, fingerprinted to tell a retry from a reuse of the id
     * @param command   dispatches the command and describes its outcome
     * @throws RequestIdReusedException when the id was used before for a different request
     */
    public CaseChange execute(String caseId, String principal, String method, String requestId, Message request,
                              Supplier<CaseChange> command) {
        String fingerprint = fingerprint(method, request);
        ReentrantLock lock = caseLocks.forCase(caseId);
        for (int attempt = 1; ; attempt++) {
            lock.lock();
            try {
                return transactions.execute(status -> {
                    databaseCaseLock.acquireForTransaction(caseId);
                    CaseChange earlier = earlierOutcome(principal, requestId, method, fingerprint);
                    if (earlier != null) {
                        return earlier;
                    }
                    CaseChange outcome = command.get();
                    jdbc.update("INSERT INTO command_request (principal, request_id, method, fingerprint, response, "
                                    + "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                            principal, requestId, method, fingerprint, outcome.toByteArray(),
                            clock.instant().atOffset(ZoneOffset.UTC));
                    return outcome;
                });
            } catch (DuplicateKeyException concurrentRetry) {
                // The same request ran concurrently and committed first: ours rolled back whole.
                CaseChange earlier = earlierOutcome(principal, requestId, method, fingerprint);
                if (earlier != null) {
                    return earlier;
                }
                throw concurrentRetry;
            } catch (ConcurrencyException | AggregateStreamCreationException conflict) {
                // Another writer appended to the case first, or created it first (two reports of
                // the same partner reference at once): run again on the history as it now is.
                if (attempt >= ATTEMPTS) {
                    throw conflict;
                }
            } finally {
                lock.unlock();
            }
            pauseBeforeRetry(attempt);
        }
    }

    /** Random pauses that double with each attempt (up to 160 ms), so that colliding writers spread out. */
    private static void pauseBeforeRetry(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a command", e);
        }
    }

    private CaseChange earlierOutcome(String principal, String requestId, String method, String fingerprint) {
        List<StoredRequest> stored = jdbc.query(
                "SELECT method, fingerprint, response FROM command_request WHERE principal = ? AND request_id = ?",
                (rs, row) -> new StoredRequest(rs.getString(1), rs.getString(2), rs.getBytes(3)),
                principal, requestId);
        if (stored.isEmpty()) {
            return null;
        }
        StoredRequest earlier = stored.get(0);
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw new RequestIdReusedException(requestId, earlier.method());
        }
        try {
            return CaseChange.parseFrom(earlier.response());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored outcome of request " + requestId + " is unreadable", e);
        }
    }

    private static String fingerprint(String method, Message request) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(method.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(request.toByteArray());
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record StoredRequest(String method, String fingerprint, byte[] response) {
    }
}
