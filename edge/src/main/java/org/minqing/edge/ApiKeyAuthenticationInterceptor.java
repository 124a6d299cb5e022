package org.minqing.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Identifies the caller of every call by its {@code x-api-key} header and refuses unknown keys
 * with UNAUTHENTICATED. Health checks and server reflection stay open so that probes and tools
 * such as grpcurl can discover the API.
 */
public class ApiKeyAuthenticationInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final Map<String, Caller> callersByKeyHash;

    public ApiKeyAuthenticationInterceptor(ApiKeyProperties properties) {
        this.callersByKeyHash = properties.apiKeys().stream().collect(Collectors.toUnmodifiableMap(
                ApiKeyProperties.ApiKey::sha256,
                key -> new Caller(key.principal(), key.role(), key.organization()),
                (a, b) -> {
                    throw new IllegalArgumentException("minqing.security.api-keys: two keys have the same hash");
                }));
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (service != null && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."))) {
            return next.startCall(call, headers);
        }
        String key = headers.get(API_KEY);
        Caller caller = key == null ? null : callersByKeyHash.get(sha256(key));
        if (caller == null) {
            call.close(Status.UNAUTHENTICATED.withDescription(key == null
                    ? "missing x-api-key header" : "unknown API key"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
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
