package org.minqing.kurrentdb.testserver;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Who may call, once any user is configured ({@link KurrentDbTestServer#requireUser}): a call
 * without basic credentials of a known user and password is UNAUTHENTICATED, and reading or
 * subscribing to {@code $all} takes an administrator (the server's default access list: {@code
 * $admins} and {@code $ops}), others are PERMISSION_DENIED. With no user configured, every call is
 * let through, as an insecure server does.
 */
final class Users implements ServerInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Boolean> ADMIN = Context.key("kurrentdb-test-admin");

    private record User(String password, boolean admin) {
    }

    private final Map<String, User> users = new ConcurrentHashMap<>();

    void add(String name, String password, boolean admin) {
        users.put(name, new User(password, admin));
    }

    /** Whether the current call may read {@code $all}. */
    static boolean mayReadAll() {
        return ADMIN.get() == null || ADMIN.get();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        if (users.isEmpty()) {
            return next.startCall(call, headers);
        }
        User user = authenticated(headers.get(AUTHORIZATION));
        if (user == null) {
            call.close(Status.UNAUTHENTICATED.withDescription("Bad authentication"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(ADMIN, user.admin()), call, headers, next);
    }

    private User authenticated(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException garbled) {
            return null;
        }
        int colon = decoded.indexOf(':');
        User user = colon < 0 ? null : users.get(decoded.substring(0, colon));
        return user != null && user.password().equals(decoded.substring(colon + 1)) ? user : null;
    }
}
