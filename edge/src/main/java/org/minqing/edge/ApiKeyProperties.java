package org.minqing.edge;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The API keys that may call Minqing, stored as SHA-256 hashes so the configuration holds no
 * secret. Generate a key with {@code openssl rand -base64 32} and its hash with
 * {@code printf %s "$KEY" | sha256sum}; docs/operations.md ("Issuing keys") walks through it.
 */
@Validated
@ConfigurationProperties("minqing.security")
public record ApiKeyProperties(@Valid List<ApiKey> apiKeys) {

    public ApiKeyProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
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

        static final String ROLES = "dispatcher|department|grid_worker|partner|supervisor|auditor";
    }
}
