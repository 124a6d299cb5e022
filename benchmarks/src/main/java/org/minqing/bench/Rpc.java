package org.minqing.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.CaseQueryServiceGrpc;

/**
 * One HTTP/2 connection to the server on 127.0.0.1, with the development profile's keys: the 12345
 * centre's (dispatcher) and, per department, the key {@code minqing-dev-<department>}.
 */
final class Rpc implements AutoCloseable {

    static final String API_KEY = "minqing-dev-key";

    final ManagedChannel channel;
    final CaseCommandServiceGrpc.CaseCommandServiceBlockingStub commands;
    final CaseCommandServiceGrpc.CaseCommandServiceFutureStub asyncCommands;
    final CaseQueryServiceGrpc.CaseQueryServiceBlockingStub queries;
    final HealthGrpc.HealthBlockingStub health;
    private final Map<String, CaseCommandServiceGrpc.CaseCommandServiceFutureStub> departments = new ConcurrentHashMap<>();

    Rpc(int port) {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
        var auth = key(API_KEY);
        commands = CaseCommandServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
        asyncCommands = CaseCommandServiceGrpc.newFutureStub(channel).withInterceptors(auth);
        queries = CaseQueryServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
        health = HealthGrpc.newBlockingStub(channel);
    }

    /** The command stub of a department's own key. */
    CaseCommandServiceGrpc.CaseCommandServiceFutureStub asyncCommandsOf(String department) {
        return departments.computeIfAbsent(department, d ->
                CaseCommandServiceGrpc.newFutureStub(channel).withInterceptors(key("minqing-dev-" + d)));
    }

    private static ClientInterceptor key(String apiKey) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
