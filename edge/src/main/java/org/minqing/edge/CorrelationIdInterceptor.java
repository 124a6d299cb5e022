package org.minqing.edge;

import java.util.UUID;
import java.util.regex.Pattern;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Gives every call a correlation id: the caller's {@code x-correlation-id} header when it is a
 * sensible token, a new UUID otherwise. It is recorded on every event the call causes, so one
 * citizen interaction can be followed across systems.
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
        String id = given != null && TOKEN.matcher(given).matches() ? given : UUID.randomUUID().toString();
        return Contexts.interceptCall(Context.current().withValue(KEY, id), call, headers, next);
    }
}
