package org.minqing.command.audit.merkle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Merkle log and its checkpoints (audit role).
 *
 * @param signingKey     the Ed25519 signer key, {@code PRIVATE+KEY+<name>+<id>+<key>} ({@code audit keygen}
 *                       makes one); none: no checkpoints are signed
 * @param signingKeyFile or a file holding it (kept outside the data directory)
 * @param origin         the checkpoints' origin line (default: the key's name)
 * @param everyEvents    sign when this many events joined since the last checkpoint (default 10,000)
 * @param every          or when this long has passed and any has (default 1 minute)
 * @param buildInterval  how often settled events join the tree (default 2 s)
 * @param settleTime     how long a gap in the JDBC log's index may still fill in (default 10 s)
 */
@ConfigurationProperties("minqing.checkpoints")
public record CheckpointProperties(String signingKey, Path signingKeyFile, String origin, Long everyEvents,
                                   Duration every, Duration buildInterval, Duration settleTime) {

    public CheckpointProperties {
        everyEvents = everyEvents == null ? 10_000 : everyEvents;
        every = every == null ? Duration.ofMinutes(1) : every;
        buildInterval = buildInterval == null ? Duration.ofSeconds(2) : buildInterval;
        settleTime = settleTime == null ? Duration.ofSeconds(10) : settleTime;
        if (everyEvents < 1) {
            throw new IllegalArgumentException("minqing.checkpoints.every-events must be at least 1, was " + everyEvents);
        }
    }

    /** The signer, or null when no key is configured. */
    NoteKeys.Signer signer() {
        String text = signingKey;
        if ((text == null || text.isBlank()) && signingKeyFile != null) {
            try {
                text = Files.readString(signingKeyFile);
            } catch (IOException e) {
                throw new IllegalStateException("minqing.checkpoints.signing-key-file " + signingKeyFile + ": " + e.getMessage(), e);
            }
        }
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return NoteKeys.parseSigner(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("minqing.checkpoints.signing-key: " + e.getMessage());
        }
    }
}
