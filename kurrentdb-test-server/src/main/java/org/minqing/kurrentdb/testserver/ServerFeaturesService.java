package org.minqing.kurrentdb.testserver;

import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import io.kurrent.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethod;
import io.kurrent.dbclient.proto.serverfeatures.Serverfeatures.SupportedMethods;
import io.kurrent.dbclient.proto.shared.Shared;

/**
 * {@code ServerFeatures}: the server's version and the methods it serves, which a client asks for
 * on connecting to decide what it may use. Unset (the default), it answers UNIMPLEMENTED, as
 * servers before 21.6 did; set, it names this server's version and lists only what it implements
 * (the streams' append and read, and their filters), so a client never turns on a feature it lacks.
 */
final class ServerFeaturesService extends ServerFeaturesGrpc.ServerFeaturesImplBase {

    private static final String STREAMS = "event_store.client.streams.streams";

    private final AtomicReference<String> version;

    ServerFeaturesService(AtomicReference<String> version) {
        this.version = version;
    }

    @Override
    public void getSupportedMethods(Shared.Empty request, StreamObserver<SupportedMethods> response) {
        String served = version.get();
        if (served == null) {
            response.onError(Status.UNIMPLEMENTED.withDescription("ServerFeatures").asRuntimeException());
            return;
        }
        response.onNext(SupportedMethods.newBuilder().setEventStoreServerVersion(served)
                .addMethods(SupportedMethod.newBuilder().setServiceName(STREAMS).setMethodName("append"))
                .addMethods(SupportedMethod.newBuilder().setServiceName(STREAMS).setMethodName("read")
                        .addFeatures("all").addFeatures("stream").addFeatures("filter"))
                .build());
        response.onCompleted();
    }
}
