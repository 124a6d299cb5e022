package org.minqing.edge.http;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP face (docs/http.md); its port and connection limits are Spring Boot's
 * {@code server.*}.
 *
 * @param maxRequestSize    a larger request body is refused with 413 before it is read
 * @param maxStreamDuration a server stream ends then with {@code unavailable}, to be opened again:
 *                          over HTTP/1.1 a client that went away is otherwise noticed only at the
 *                          next message
 */
@ConfigurationProperties("minqing.http")
public record HttpProperties(DataSize maxRequestSize, Duration maxStreamDuration) {

    public HttpProperties {
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(4) : maxRequestSize;
        maxStreamDuration = maxStreamDuration == null ? Duration.ofMinutes(30) : maxStreamDuration;
    }
}
