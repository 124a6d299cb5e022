package org.minqing.edge.queries;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BiConsumer;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.minqing.edge.Caller;
import org.minqing.projections.EventFeed;
import org.minqing.projections.ReadModelDatabase;
import org.minqing.privacy.PrivacyProperties;
import org.minqing.query.QueryProperties;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A query service over fresh read models that the real projections fill from events, with a
 * fixed clock, and helpers to call it as a given caller.
 */
final class QueryFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z");
    static final Caller DISPATCHER = new Caller("operator-7", "dispatcher", "12345-center");
    static final Caller SUPERVISOR = new Caller("sup-1", "supervisor", "supervision-office");

    final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    final EventFeed feed = EventFeed.allProjections(jdbc, T0);
    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    final CaseQueryGrpcService service;
    /** Live streams a caller may hold open in these tests. */
    static final int WATCHES_PER_CALLER = 3;

    QueryFixture(Instant now) {
        this(now, new PrivacyProperties(null, null, null, null, null, null));
    }

    QueryFixture(Instant now, PrivacyProperties privacy) {
        scheduler.setRemoveOnCancelPolicy(true);
        service = new CaseQueryGrpcService(jdbc, Clock.fixed(now, ZoneOffset.UTC), privacy,
                new QueryProperties(Duration.ofMillis(20), 1, WATCHES_PER_CALLER), scheduler,
                new WatchQuota(WATCHES_PER_CALLER), new org.minqing.edge.audit.PersonalDataReads(jdbc),
                org.minqing.projections.TestKeys.envelopes(jdbc));
    }

    /** Calls a unary method as {@code caller}; returns the response or throws the call's error. */
    <Q, R> R call(Caller caller, BiConsumer<Q, RecordingObserver<R>> method, Q request) {
        RecordingObserver<R> observer = new RecordingObserver<>();
        Caller.runAs(caller, () -> method.accept(request, observer));
        return observer.single();
    }

    static Status.Code code(Throwable error) {
        return ((StatusRuntimeException) error).getStatus().getCode();
    }

    /** The fields a refusal with INVALID_ARGUMENT names in its BadRequest. */
    static List<String> violatedFields(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null || status.getCode() != Status.Code.INVALID_ARGUMENT.value()) {
            throw new AssertionError("expected INVALID_ARGUMENT, got " + error);
        }
        return status.getDetailsList().stream().filter(any -> any.is(BadRequest.class)).flatMap(any -> {
            try {
                return any.unpack(BadRequest.class).getFieldViolationsList().stream();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }).map(BadRequest.FieldViolation::getField).toList();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
