package org.minqing.privacy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code minqing.privacy.*}: where the master key comes from, the keys it replaces, and how long
 * personal data is kept. docs/privacy.md.
 *
 * @param masterKey              the master key itself, base64 of 32 bytes (development and tests;
 *                               in production prefer the file)
 * @param masterKeyFile          a file holding the master key in base64, outside the data directory
 * @param previousMasterKeyFiles master keys being rotated out: data keys they wrapped are re-wrapped
 *                               by the current one at start-up; remove them once that is logged
 * @param retention              personal data of citizens whose cases are all closed for longer is erased
 */
@ConfigurationProperties("minqing.privacy")
public record PrivacyProperties(String masterKey, Path masterKeyFile, List<Path> previousMasterKeyFiles,
                                Retention retention) {

    public PrivacyProperties {
        previousMasterKeyFiles = previousMasterKeyFiles == null ? List.of() : List.copyOf(previousMasterKeyFiles);
        retention = retention == null ? new Retention(null, null) : retention;
    }

    /**
     * @param closedFor how long after the last of a citizen's cases closed their personal data is
     *                  erased (default 3 years, 1095 days); zero or negative turns the policy off
     * @param interval  how often the server looks (default every hour)
     */
    public record Retention(Duration closedFor, Duration interval) {

        public Retention {
            closedFor = closedFor == null ? Duration.ofDays(1095) : closedFor;
            interval = interval == null ? Duration.ofHours(1) : interval;
        }

        public boolean enabled() {
            return !closedFor.isZero() && !closedFor.isNegative();
        }
    }
}
