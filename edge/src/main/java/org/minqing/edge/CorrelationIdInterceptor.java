package org.minqing.edge;

import java.util.UUID;
import java.util.regex.Pattern;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import org.minqing.api.requests.FieldViolations;

/**
 * Gives every call a correlation id: the caller's {@code x-correlation-id} header, or a new UUID
 * when it sent none. A header that is not a sensible token is refused (INVALID_ARGUMENT naming the
 * header) rather than replaced, so a partner never believes its own id was recorded when it was
 * not. The id used is sent back in the response headers. It is recorded on every event the call
 * causes, so one citizen interaction can be followed across systems.
 */
public class CorrelationIdInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> HEADER =
            Metadata.Key.of("x-correlation-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> KEY = Context.key("minqing-correlation-id");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** The correlation id of the call this thread is serving. */
    public static String current() {
        String id = KEY.get();
        return id != null ? id : UUID.randomUUID().toString();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String given = headers.get(HEADER);
        if (given != null && !TOKEN.matcher(given).matches()) {
            StatusRuntimeException refused = Responses.toStatus(new FieldViolations().add(HEADER.name(),
                    "must be 1 to 128 of A-Za-z0-9._:- (header), was " + FieldViolations.quote(given)).asException());
            call.close(refused.getStatus(), refused.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        String id = given != null ? given : UUID.randomUUID().toString();
        ServerCall<Q, R> echoing = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(HEADER, id);
                super.sendHeaders(responseHeaders);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(KEY, id), echoing, headers, next);
    }
}
