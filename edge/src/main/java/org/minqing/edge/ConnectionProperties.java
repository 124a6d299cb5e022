package org.minqing.edge;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on one client connection that grpc-java has but Spring gRPC's properties do not set (the
 * idle, age and keep-alive limits are {@code spring.grpc.server.keep-alive.*}); docs/operations.md,
 * "Connections".
 *
 * @param handshakeTimeout       a connection that has not completed its HTTP/2 (or TLS) handshake by
 *                               then is closed
 * @param maxCallsPerConnection  concurrent calls (HTTP/2 streams) one connection may have open
 */
@Validated
@ConfigurationProperties("minqing.connections")
public record ConnectionProperties(@NotNull Duration handshakeTimeout, @Min(1) int maxCallsPerConnection) {

    public ConnectionProperties {
        handshakeTimeout = handshakeTimeout == null ? Duration.ofSeconds(10) : handshakeTimeout;
        maxCallsPerConnection = maxCallsPerConnection == 0 ? 128 : maxCallsPerConnection;
    }
}
