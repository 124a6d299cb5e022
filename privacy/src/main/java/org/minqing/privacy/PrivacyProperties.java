package org.minqing.privacy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.minqing.api.v1.PersonalDataCipher;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code minqing.privacy.*}: who may read personal data, where the master key comes from, the keys
 * it replaces, and how long personal data is kept. docs/privacy.md.
 *
 * @param personalDataRoles      caller roles allowed CASE_VIEW_FULL (citizen, address, position);
 *                               default dispatcher, department and grid_worker (who visits the citizen)
 * @param masterKey              the master key itself, base64 of 32 bytes (development and tests;
 *                               in production prefer the file)
 * @param masterKeyFile          a file holding the master key in base64, outside the data directory
 * @param previousMasterKeyFiles master keys being rotated out: data keys they wrapped are re-wrapped
 *                               by the current one at start-up; remove them once that is logged
 * @param retention              personal data of citizens whose cases are all closed for longer is erased
 * @param cipher                 how new envelopes are sealed: {@code aes-256-gcm} (default) or {@code sm4-gcm}
 *                               (商用密码); envelopes are opened by the cipher they name, so it can change
 */
@ConfigurationProperties("minqing.privacy")
public record PrivacyProperties(List<String> personalDataRoles, String masterKey, Path masterKeyFile,
                                List<Path> previousMasterKeyFiles, Retention retention, Cipher cipher) {

    public PrivacyProperties {
        personalDataRoles = personalDataRoles == null ? List.of("dispatcher", "department", "grid_worker")
                : List.copyOf(personalDataRoles);
        previousMasterKeyFiles = previousMasterKeyFiles == null ? List.of() : List.copyOf(previousMasterKeyFiles);
        retention = retention == null ? new Retention(null, null) : retention;
        cipher = cipher == null ? Cipher.AES_256_GCM : cipher;
    }

    /** The ciphers an envelope can be sealed with (named in configuration as aes-256-gcm, sm4-gcm). */
    public enum Cipher {
        AES_256_GCM(PersonalDataCipher.PERSONAL_DATA_CIPHER_AES_256_GCM),
        SM4_GCM(PersonalDataCipher.PERSONAL_DATA_CIPHER_SM4_GCM);

        private final PersonalDataCipher envelope;

        Cipher(PersonalDataCipher envelope) {
            this.envelope = envelope;
        }

        public PersonalDataCipher envelope() {
            return envelope;
        }
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
