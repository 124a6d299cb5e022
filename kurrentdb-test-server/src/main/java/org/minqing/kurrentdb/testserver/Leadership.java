package org.minqing.kurrentdb.testserver;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * This node's role in a cluster, once it is made a follower ({@link KurrentDbTestServer#followerOf}):
 * a call that requires the leader ({@code requires-leader: true}, which the client sends for every
 * call when its node preference is the leader, the default) is refused as a real follower refuses
 * it — NOT_FOUND "Leader info available", with the leader's endpoint in the trailers — and the
 * client reconnects there. Calls that do not require the leader are served.
 */
final class Leadership implements ServerInterceptor {

    private static final Metadata.Key<String> REQUIRES_LEADER = key("requires-leader");
    private static final Metadata.Key<String> EXCEPTION = key("exception");
    private static final Metadata.Key<String> LEADER_HOST = key("leader-endpoint-host");
    private static final Metadata.Key<String> LEADER_PORT = key("leader-endpoint-port");

    /** The leader's endpoint while this node follows; null while it leads (a single node). */
    private final AtomicReference<InetSocketAddress> leader = new AtomicReference<>();

    void follow(InetSocketAddress endpoint) {
        leader.set(endpoint);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        InetSocketAddress following = leader.get();
        if (following == null || !"true".equalsIgnoreCase(headers.get(REQUIRES_LEADER))) {
            return next.startCall(call, headers);
        }
        Metadata trailers = new Metadata();
        trailers.put(EXCEPTION, "not-leader");
        trailers.put(LEADER_HOST, following.getHostString());
        trailers.put(LEADER_PORT, Integer.toString(following.getPort()));
        call.close(Status.NOT_FOUND.withDescription("Leader info available"), trailers);
        return new ServerCall.Listener<>() { };
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }
}
