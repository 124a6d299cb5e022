package org.minqing.server;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.CaseQueryServiceGrpc;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ListTimelineEntriesRequest;
import org.minqing.api.v1.TimelineEntry;

/** A partner system's view of Minqing: real gRPC over a loopback socket, with an API key. */
final class MinqingClient implements AutoCloseable {

    /** The development profile's keys (application-dev.yml): the 12345 centre's, a supervisor's, … */
    static final String DEV_KEY = "minqing-dev-key";
    static final String SUPERVISOR_KEY = "minqing-dev-supervisor";
    static final String AUDITOR_KEY = "minqing-dev-auditor";
    static final String PRIVACY_OFFICER_KEY = "minqing-dev-privacy-officer";
    static final String PARTNER_KEY = "minqing-dev-partner";
    static final String OPERATOR_KEY = "minqing-dev-operator";
    /** A grid worker (zhang-san) of the water bureau. */
    static final String GRID_WORKER_KEY = "minqing-dev-grid-worker";

    /** The key of a department of the development profile (water-bureau, roads-bureau, housing-bureau, …). */
    static String departmentKey(String department) {
        return "minqing-dev-" + department;
    }

    final ManagedChannel channel;
    final CaseCommandServiceGrpc.CaseCommandServiceBlockingStub commands;
    final CaseQueryServiceGrpc.CaseQueryServiceBlockingStub queries;
    final CaseQueryServiceGrpc.CaseQueryServiceStub asyncQueries;
    final org.minqing.api.v1.SupervisionServiceGrpc.SupervisionServiceBlockingStub supervision;
    final org.minqing.api.v1.AuditServiceGrpc.AuditServiceBlockingStub audit;

    MinqingClient(int port, String apiKey) {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
        Metadata headers = new Metadata();
        if (apiKey != null) {
            headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        }
        var auth = MetadataUtils.newAttachHeadersInterceptor(headers);
        commands = CaseCommandServiceGrpc.newBlockingStub(channel).withInterceptors(auth, PER_CALL_DEADLINE);
        queries = CaseQueryServiceGrpc.newBlockingStub(channel).withInterceptors(auth, PER_CALL_DEADLINE);
        asyncQueries = CaseQueryServiceGrpc.newStub(channel).withInterceptors(auth);
        supervision = org.minqing.api.v1.SupervisionServiceGrpc.newBlockingStub(channel).withInterceptors(auth, PER_CALL_DEADLINE);
        audit = org.minqing.api.v1.AuditServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
    }

    /**
     * 30 s for each call that sets no deadline of its own (a stub's withDeadlineAfter would fix one
     * instant for every later call, and a client kept for a long test would time out).
     */
    private static final io.grpc.ClientInterceptor PER_CALL_DEADLINE = new io.grpc.ClientInterceptor() {
        @Override
        public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(io.grpc.MethodDescriptor<Q, R> method, io.grpc.CallOptions options,
                                                             io.grpc.Channel next) {
            return next.newCall(method, options.getDeadline() == null ? options.withDeadlineAfter(30, TimeUnit.SECONDS) : options);
        }
    };

    static String requestId() {
        return UUID.randomUUID().toString();
    }

    /** Polls the case's read model until {@code condition} holds; a case not projected yet is NOT_FOUND meanwhile. */
    Case awaitCase(String name, Predicate<Case> condition) {
        return await("read model of " + name).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25))
                .ignoreExceptionsMatching(MinqingClient::notFound)
                .until(() -> queries.getCase(GetCaseRequest.newBuilder().setName(name).build()), condition);
    }

    /** Polls the timeline until it holds {@code entries} entries; each projection catches up on its own. */
    List<TimelineEntry> awaitTimeline(String name, int entries) {
        return await("timeline of " + name + " with " + entries + " entries").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(25)).ignoreExceptionsMatching(MinqingClient::notFound)
                .until(() -> queries.listTimelineEntries(ListTimelineEntriesRequest.newBuilder()
                        .setParent(name).setPageSize(1000).build()).getTimelineEntriesList(), latest -> latest.size() >= entries);
    }

    private static boolean notFound(Throwable e) {
        return e instanceof io.grpc.StatusRuntimeException status && status.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND;
    }

    /** Waits until the read model reflects at least {@code revision} events of the case. */
    Case awaitRevision(String name, long revision) {
        return awaitCase(name, c -> c.getRevision() >= revision);
    }

    /** What the standard gRPC health service says of {@code service} ("" for the server). */
    io.grpc.health.v1.HealthCheckResponse.ServingStatus health(String service) {
        return io.grpc.health.v1.HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(io.grpc.health.v1.HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
