package org.minqing.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys issued and withdrawn in the keys file take effect at its next look, without a restart. */
class KeysFileTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));

    @Test
    void aChangedFileIsReadAtItsNextLookAndAnInvalidChangeIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.yml");
        write(file, key(A, "partner-a"), 1);
        KeysFile keys = new KeysFile(file, Duration.ofSeconds(10), clock);
        assertThat(keys.load().apiKeys()).extracting(SecurityProperties.ApiKey::principal).containsExactly("partner-a");

        write(file, key(B, "partner-b"), 2);
        assertThat(keys.changed()).as("not due for a look yet").isNull();
        clock.now = clock.now.plusSeconds(10);
        assertThat(keys.changed().apiKeys()).extracting(SecurityProperties.ApiKey::principal).containsExactly("partner-b");
        clock.now = clock.now.plusSeconds(10);
        assertThat(keys.changed()).as("unchanged since").isNull();

        write(file, key(B, "partner-b").replace("role: partner", "role: administrator"), 3);
        clock.now = clock.now.plusSeconds(10);
        assertThatThrownBy(keys::changed).hasMessageContaining("apiKeys[0].role must be one of");
    }

    @Test
    void theInterceptorUsesTheFilesKeysBesideTheConfiguredOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.yml");
        write(file, key(A, "partner-a"), 1);
        SecurityProperties configured = new SecurityProperties(List.of(new SecurityProperties.ApiKey(
                "c".repeat(64), "configured", "auditor", "audit-office", null)), List.of(), file, Duration.ofSeconds(1));
        AuthenticationInterceptor interceptor = new AuthenticationInterceptor(configured, clock);
        assertThat(interceptor.keyHashes()).containsExactlyInAnyOrder("c".repeat(64), A);
    }

    private static String key(String hash, String principal) {
        return """
                minqing:
                  security:
                    api-keys:
                      - sha256: %s
                        principal: %s
                        role: partner
                        organization: %s-system
                """.formatted(hash, principal, principal);
    }

    /** Writes the file with a distinct modification time (file systems may keep only seconds). */
    private static void write(Path file, String content, int version) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version)));
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
