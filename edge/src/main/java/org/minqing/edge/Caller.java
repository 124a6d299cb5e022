package org.minqing.edge;

import io.grpc.Context;
import io.grpc.Status;

/**
 * The authenticated caller of the current gRPC call, as {@link AuthenticationInterceptor}
 * established it from the caller's API key.
 *
 * @param id           the principal id, recorded as the actor of every event the call causes
 * @param role         e.g. {@code dispatcher}, {@code department}, {@code supervisor}, {@code auditor}
 * @param organization a department code or the partner system's name
 */
public record Caller(String id, String role, String organization) {

    static final Context.Key<Caller> KEY = Context.key("minqing-caller");

    /** The caller of the call this thread is serving. */
    public static Caller current() {
        Caller caller = KEY.get();
        if (caller == null) {
            throw Status.UNAUTHENTICATED.withDescription("no authenticated caller").asRuntimeException();
        }
        return caller;
    }

    /**
     * Runs {@code action} as if this caller had made the current call: for tests and for work
     * done on a caller's behalf outside the interceptor (the gRPC context is thread-bound).
     */
    public static void runAs(Caller caller, Runnable action) {
        Context.current().withValue(KEY, caller).run(action);
    }
}
