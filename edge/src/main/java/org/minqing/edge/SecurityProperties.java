package org.minqing.edge;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call Minqing: API keys, stored as SHA-256 hashes so the configuration holds no secret
 * (generate a key with {@code openssl rand -base64 32}, its hash with
 * {@code printf %s "$KEY" | sha256sum}), and client certificates (mutual TLS) by their subject.
 * docs/operations.md ("Issuing keys", "TLS") walks through both.
 */
@Validated
@ConfigurationProperties("minqing.security")
public record SecurityProperties(@Valid List<ApiKey> apiKeys, @Valid List<ClientCertificate> clientCertificates,
                                 Path keysFile, Duration keysFileCheckInterval) {

    /**
     * @param keysFile              a YAML file of further keys and certificates, re-read when it
     *                              changes ({@link KeysFile}); none by default
     * @param keysFileCheckInterval how often that file is looked at (default 10 s)
     */
    public SecurityProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
        keysFileCheckInterval = keysFileCheckInterval == null ? Duration.ofSeconds(10) : keysFileCheckInterval;
    }

    /**
     * One key and the principal it stands for. The principal, role and organization are recorded
     * on every event and shown in the timeline, so they are bounded like its columns: a longer one
     * fails start-up rather than a projection. The role is one of {@code access.proto}'s, by its
     * configuration name; for a department or grid worker the organization is the department code
     * that cases are dispatched to, for a partner the system whose reports it may follow.
     *
     * @param expires when the key stops working (absent: it does not expire)
     */
    public record ApiKey(
            @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be a lowercase hex SHA-256") String sha256,
            @NotBlank @Size(max = 200) String principal,
            @NotBlank @Pattern(regexp = ROLES, message = "must be one of " + ROLES) String role,
            @NotBlank @Size(max = 200) String organization,
            Instant expires) {

        static final String ROLES = "dispatcher|department|grid_worker|partner|supervisor|auditor|privacy_officer|operator";
    }

    /**
     * A client certificate, signed by a CA the server's TLS bundle trusts, and the principal it
     * stands for; bounded and checked like an API key's.
     *
     * @param subject the certificate's subject distinguished name, e.g. {@code CN=water-bureau-desk,O=Water Bureau}
     * @param expires when the mapping stops working (the certificate's own validity is checked by TLS)
     */
    public record ClientCertificate(
            @NotBlank String subject,
            @NotBlank @Size(max = 200) String principal,
            @NotBlank @Pattern(regexp = ApiKey.ROLES, message = "must be one of " + ApiKey.ROLES) String role,
            @NotBlank @Size(max = 200) String organization,
            Instant expires) {
    }
}
