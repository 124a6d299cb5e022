package org.minqing.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Identifies the caller of every call by its {@code x-api-key} header and refuses unknown keys
 * (or keys past their expiry) with UNAUTHENTICATED. Health checks and server reflection stay open so that probes and tools
 * such as grpcurl can discover the API.
 */
public class ApiKeyAuthenticationInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final Map<String, ApiKeyProperties.ApiKey> keysByHash;
    private final Clock clock;

    public ApiKeyAuthenticationInterceptor(ApiKeyProperties properties, Clock clock) {
        this.keysByHash = properties.apiKeys().stream().collect(Collectors.toUnmodifiableMap(
                ApiKeyProperties.ApiKey::sha256, key -> key,
                (a, b) -> {
                    throw new IllegalArgumentException("minqing.security.api-keys: two keys have the same hash");
                }));
        this.clock = clock;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (open(call.getMethodDescriptor())) {
            return next.startCall(call, headers);
        }
        String given = headers.get(API_KEY);
        ApiKeyProperties.ApiKey key = given == null ? null : keysByHash.get(sha256(given));
        String refusal = given == null ? "missing x-api-key header"
                : key == null ? "unknown API key"
                : key.expires() != null && !clock.instant().isBefore(key.expires()) ? "API key expired at " + key.expires()
                : null;
        if (refusal != null) {
            call.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Caller caller = new Caller(key.principal(), key.role(), key.organization());
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
    }

    /** Health checks and reflection: open to anyone, so probes and tools can find their way. */
    static boolean open(MethodDescriptor<?, ?> method) {
        String service = method.getServiceName();
        return service != null && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."));
    }

    static String sha256(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
