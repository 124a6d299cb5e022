package org.minqing.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identifies the caller of every call: by its {@code x-api-key} header, or, without one, by the
 * client certificate it presented over mutual TLS (verified by the TLS layer against the server's
 * trust store, mapped here by its subject). Unknown, missing or expired identities are refused with
 * UNAUTHENTICATED. The identities are the configuration's and, when one is set, the keys file's,
 * which is re-read when it changes ({@link KeysFile}). Health checks and server reflection stay
 * open so that probes and tools such as grpcurl can discover the API.
 */
public class AuthenticationInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger log = LoggerFactory.getLogger(AuthenticationInterceptor.class);

    /** One identity, from either mechanism. */
    private record Identity(Caller caller, Instant expires) {
    }

    /** Every identity in force. */
    private record Identities(Map<String, Identity> byKeyHash, Map<X500Principal, Identity> bySubject) {

        static Identities of(SecurityProperties... sources) {
            return new Identities(
                    Stream.of(sources).flatMap(s -> s.apiKeys().stream()).collect(Collectors.toUnmodifiableMap(
                            SecurityProperties.ApiKey::sha256,
                            key -> new Identity(new Caller(key.principal(), key.role(), key.organization()), key.expires()),
                            duplicate("api-keys", "hash"))),
                    Stream.of(sources).flatMap(s -> s.clientCertificates().stream()).collect(Collectors.toUnmodifiableMap(
                            certificate -> new X500Principal(certificate.subject()),
                            certificate -> new Identity(new Caller(certificate.principal(), certificate.role(),
                                    certificate.organization()), certificate.expires()),
                            duplicate("client-certificates", "subject"))));
        }
    }

    private final SecurityProperties configured;
    private final KeysFile keysFile;
    private final Clock clock;
    private volatile Identities identities;

    public AuthenticationInterceptor(SecurityProperties properties, Clock clock) {
        this.configured = properties;
        this.clock = clock;
        this.keysFile = properties.keysFile() == null ? null
                : new KeysFile(properties.keysFile(), properties.keysFileCheckInterval(), clock);
        try {
            this.identities = keysFile == null ? Identities.of(properties) : Identities.of(properties, keysFile.load());
        } catch (IOException e) {
            throw new UncheckedIOException("minqing.security.keys-file " + properties.keysFile() + " cannot be read", e);
        }
    }

    /** Every API key hash in force now, from the configuration and the keys file. */
    public List<String> keyHashes() {
        return List.copyOf(identities.byKeyHash().keySet());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (open(call.getMethodDescriptor())) {
            return next.startCall(call, headers);
        }
        reloadIfChanged();
        Identities now = identities;
        String key = headers.get(API_KEY);
        X500Principal subject = key == null ? clientSubject(call) : null;
        Identity identity = key != null ? now.byKeyHash().get(sha256(key)) : subject != null ? now.bySubject().get(subject) : null;
        String refusal = key == null && subject == null ? "missing x-api-key header (or client certificate)"
                : identity == null ? (key != null ? "unknown API key" : "unknown client certificate " + subject.getName())
                : identity.expires() != null && !clock.instant().isBefore(identity.expires())
                ? (key != null ? "API key" : "client certificate") + " expired at " + identity.expires()
                : null;
        if (refusal != null) {
            call.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, identity.caller()), call, headers, next);
    }

    /** A changed keys file replaces its identities; one that cannot be used leaves them as they were. */
    private void reloadIfChanged() {
        if (keysFile == null) {
            return;
        }
        try {
            SecurityProperties changed = keysFile.changed();
            if (changed != null) {
                identities = Identities.of(configured, changed);
                log.info("Keys file {} re-read: {} API keys and {} client certificates in force", keysFile.path(),
                        identities.byKeyHash().size(), identities.bySubject().size());
            }
        } catch (IOException | RuntimeException refused) {
            log.error("Keys file {} not used, the keys in force stay as they were: {}", keysFile.path(),
                    refused.getMessage());
        }
    }

    /** The subject of the verified certificate the client presented, if it presented one. */
    private static X500Principal clientSubject(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate certificate
                    ? certificate.getSubjectX500Principal() : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }

    /** Health checks and reflection: open to anyone, so probes and tools can find their way. */
    static boolean open(MethodDescriptor<?, ?> method) {
        String service = method.getServiceName();
        return service != null && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."));
    }

    /** The hash an API key is configured by (lowercase hex SHA-256 of its UTF-8 bytes). */
    public static String sha256(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> java.util.function.BinaryOperator<T> duplicate(String list, String by) {
        return (a, b) -> {
            throw new IllegalArgumentException("minqing.security." + list + ": two entries have the same " + by);
        };
    }
}
