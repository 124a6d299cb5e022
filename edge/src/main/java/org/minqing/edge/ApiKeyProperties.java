package org.minqing.edge;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The API keys that may call Minqing, stored as SHA-256 hashes so the configuration holds no
 * secret. Generate a hash with {@code printf %s "$KEY" | sha256sum}.
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
     * fails start-up rather than a projection.
     */
    public record ApiKey(
            @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be a lowercase hex SHA-256") String sha256,
            @NotBlank @Size(max = 200) String principal,
            @NotBlank @Size(max = 64) String role,
            @NotBlank @Size(max = 200) String organization) {
    }
}
