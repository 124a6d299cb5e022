package org.minqing.edge;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import org.minqing.api.requests.FieldViolations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request whose bytes are not a message of the method's type (invalid UTF-8 in a string,
 * truncated bytes, nesting past protobuf's limit) with INVALID_ARGUMENT, instead of grpc-java's
 * UNKNOWN and a stack trace in the log per request. gRPC's own status table would say INTERNAL;
 * this API keeps INTERNAL for its own faults, so a client's malformed bytes are INVALID_ARGUMENT,
 * the code its other malformed requests get. Such requests are logged once per minute at most,
 * with how many there were.
 *
 * <p>How: each method is re-bound, as grpc-java's {@code ServerInterceptors.useMarshalledMessages}
 * does, to take the raw bytes; the method's own marshaller parses them here, where a failure can be
 * answered, and the parsed message goes on to the interceptors' and the service's listeners.
 */
final class UnparseableRequests {

    private static final Logger log = LoggerFactory.getLogger(UnparseableRequests.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final MethodDescriptor.Marshaller<InputStream> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    private final Clock clock;
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicReference<Instant> lastLogged = new AtomicReference<>(Instant.MIN);

    UnparseableRequests(Clock clock) {
        this.clock = clock;
    }

    /**
     * The service with every method parsing its requests here. Its descriptor keeps the name and
     * the schema (which server reflection serves) of the original.
     */
    ServerServiceDefinition guard(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<InputStream, ?>> methods = service.getMethods().stream()
                .<ServerMethodDefinition<InputStream, ?>>map(this::guard).toList();
        methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
        ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(guarded::addMethod);
        return guarded.build();
    }

    private <Q, R> ServerMethodDefinition<InputStream, R> guard(ServerMethodDefinition<Q, R> definition) {
        MethodDescriptor<Q, R> method = definition.getMethodDescriptor();
        MethodDescriptor<InputStream, R> raw = method.toBuilder(BYTES, method.getResponseMarshaller()).build();
        ServerCallHandler<Q, R> handler = definition.getServerCallHandler();
        return ServerMethodDefinition.create(raw, (call, headers) -> start(method, handler, call, headers));
    }

    private <Q, R> ServerCall.Listener<InputStream> start(MethodDescriptor<Q, R> method, ServerCallHandler<Q, R> handler,
                                                        ServerCall<InputStream, R> call, Metadata headers) {
        ServerCall<Q, R> typed = new TypedCall<>(call, method);
        ServerCall.Listener<Q> next = handler.startCall(typed, headers);
        return new ServerCall.Listener<>() {
            private boolean refused;

            @Override
            public void onMessage(InputStream bytes) {
                if (refused) {
                    return;
                }
                Q request;
                try {
                    request = method.parseRequest(bytes);
                } catch (RuntimeException unparseable) {
                    refused = true;
                    noted(method, unparseable);
                    var status = Responses.toStatus(new FieldViolations().add("(request)", "is not a valid "
                            + method.getFullMethodName().replaceFirst("/.*", "") + " request for "
                            + method.getBareMethodName() + ": " + reason(unparseable)).asException());
                    call.close(status.getStatus(), status.getTrailers());
                    return;
                }
                next.onMessage(request);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    next.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                next.onCancel();
            }

            @Override
            public void onComplete() {
                next.onComplete();
            }

            @Override
            public void onReady() {
                next.onReady();
            }
        };
    }

    private static String reason(RuntimeException unparseable) {
        Throwable cause = unparseable.getCause() != null ? unparseable.getCause() : unparseable;
        String message = String.valueOf(cause.getMessage());
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    /** Logs the first one and then at most one line a minute, with how many came meanwhile. */
    private void noted(MethodDescriptor<?, ?> method, RuntimeException unparseable) {
        long count = unlogged.incrementAndGet();
        Instant now = clock.instant();
        Instant last = lastLogged.get();
        if (now.isAfter(last.plus(LOG_INTERVAL)) && lastLogged.compareAndSet(last, now)) {
            unlogged.addAndGet(-count);
            log.warn("{} unparseable request(s) refused with INVALID_ARGUMENT since the last report; the latest, to {}: {}",
                    count, method.getFullMethodName(), reason(unparseable));
        }
    }

    /**
     * The call as the interceptors and the service see it: of the method's own request type (a
     * server call never takes a request, so only its descriptor differs).
     */
    private static final class TypedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
        private final MethodDescriptor<Q, R> method;

        @SuppressWarnings("unchecked")
        TypedCall(ServerCall<InputStream, R> call, MethodDescriptor<Q, R> method) {
            super((ServerCall<Q, R>) (ServerCall<?, R>) call);
            this.method = method;
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }
}
