package org.minqing.edge;

import java.util.concurrent.TimeUnit;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per call at INFO on the logger {@code minqing.requests} — method, status, time taken,
 * caller, correlation id and case — and the same caller, correlation id, method and case in the
 * log context ({@link MDC}) of every line logged while the call is handled, so a structured log
 * (ECS, Logstash) carries them as fields. Bound to the API's services only (health checks and
 * reflection are not logged), inside authentication and the correlation id
 * ({@link MinqingServiceConfigurer}): a call refused before them (no key, a bad header) is
 * answered, and counted by the gRPC metrics, but not logged.
 */
public class RequestLog implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger("minqing.requests");

    static final String CORRELATION_ID = "correlation_id";
    static final String PRINCIPAL = "principal";
    static final String RPC = "rpc";
    static final String CASE = "case";

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        Caller caller = Caller.KEY.get();
        LoggedCall logged = new LoggedCall(call.getMethodDescriptor().getFullMethodName(),
                caller == null ? "" : caller.id(), CorrelationIdInterceptor.current(), System.nanoTime());
        ServerCall.Listener<Q> listener = next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                super.close(status, trailers);
                logged.closed(status);
            }
        }, headers);
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                if (message instanceof Message request) {
                    logged.named(request);
                }
                logged.run(() -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                logged.run(super::onHalfClose);
            }

            @Override
            public void onCancel() {
                logged.run(super::onCancel);
            }

            @Override
            public void onComplete() {
                logged.run(super::onComplete);
            }

            @Override
            public void onReady() {
                logged.run(super::onReady);
            }
        };
    }

    /** One call's log context. Its callbacks come one at a time (gRPC serializes them). */
    private static final class LoggedCall {

        private final String rpc;
        private final String principal;
        private final String correlationId;
        private final long start;
        private volatile String caseName = "";

        LoggedCall(String rpc, String principal, String correlationId, long start) {
            this.rpc = rpc;
            this.principal = principal;
            this.correlationId = correlationId;
            this.start = start;
        }

        /** The case a request names ({@code name} or {@code parent}: {@code cases/…}), if any. */
        void named(Message request) {
            if (!caseName.isEmpty()) {
                return;
            }
            for (String field : new String[] {"name", "parent"}) {
                FieldDescriptor descriptor = request.getDescriptorForType().findFieldByName(field);
                if (descriptor != null && descriptor.getType() == FieldDescriptor.Type.STRING
                        && request.getField(descriptor) instanceof String value && value.startsWith("cases/")) {
                    int end = value.indexOf('/', "cases/".length());
                    caseName = end < 0 ? value : value.substring(0, end);
                    return;
                }
            }
        }

        void closed(Status status) {
            if (log.isInfoEnabled()) {
                run(() -> log.info("{} {} {} ms principal={} correlation_id={}{}", rpc, status.getCode(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), principal, correlationId,
                        caseName.isEmpty() ? "" : " case=" + caseName));
            }
        }

        void run(Runnable step) {
            MDC.put(CORRELATION_ID, correlationId);
            MDC.put(PRINCIPAL, principal);
            MDC.put(RPC, rpc);
            if (!caseName.isEmpty()) {
                MDC.put(CASE, caseName);
            }
            try {
                step.run();
            } finally {
                MDC.remove(CORRELATION_ID);
                MDC.remove(PRINCIPAL);
                MDC.remove(RPC);
                MDC.remove(CASE);
            }
        }
    }
}
