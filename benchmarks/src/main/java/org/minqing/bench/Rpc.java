package org.minqing.bench;

import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.CaseQueryServiceGrpc;

/** One HTTP/2 connection to the server on 127.0.0.1, as a partner system with the dev key. */
final class Rpc implements AutoCloseable {

    static final String API_KEY = "minqing-dev-key";

    final ManagedChannel channel;
    final CaseCommandServiceGrpc.CaseCommandServiceBlockingStub commands;
    final CaseCommandServiceGrpc.CaseCommandServiceFutureStub asyncCommands;
    final CaseQueryServiceGrpc.CaseQueryServiceBlockingStub queries;
    final HealthGrpc.HealthBlockingStub health;

    Rpc(int port) {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), API_KEY);
        var auth = MetadataUtils.newAttachHeadersInterceptor(headers);
        commands = CaseCommandServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
        asyncCommands = CaseCommandServiceGrpc.newFutureStub(channel).withInterceptors(auth);
        queries = CaseQueryServiceGrpc.newBlockingStub(channel).withInterceptors(auth);
        health = HealthGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
