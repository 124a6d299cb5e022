package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.ListCasesRequest;
import org.minqing.edge.AuthenticationInterceptor;

/** A key issued in the keys file works, and one withdrawn from it stops working, while the server runs. */
class KeysFileEndToEndTest {

    @Test
    void keysAreIssuedAndWithdrawnWithoutARestart(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.yml");
        write(keys, "partner-old-key", 1);
        try (MinqingServer server = MinqingServer.start(dir.resolve("data"), "minqing.security.keys-file=" + keys,
                "minqing.security.keys-file-check-interval=100ms");
             MinqingClient old = server.client("partner-old-key");
             MinqingClient fresh = server.client("partner-new-key")) {
            assertThat(old.queries.listCases(ListCasesRequest.getDefaultInstance()).getCasesList()).isEmpty();
            assertThat(code(fresh)).isEqualTo(Status.Code.UNAUTHENTICATED);

            write(keys, "partner-new-key", 2); // rotated: the new key in, the old one out
            await("the new key accepted").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> code(fresh) == Status.Code.OK);
            assertThat(code(old)).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

    private static Status.Code code(MinqingClient client) {
        try {
            client.queries.listCases(ListCasesRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static void write(Path file, String key, int version) throws Exception {
        String hash = AuthenticationInterceptor.sha256(key);
        Files.writeString(file, """
                minqing:
                  security:
                    api-keys:
                      - sha256: %s
                        principal: wechat-backend
                        role: partner
                        organization: wechat-mini-program
                """.formatted(hash));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version)));
    }
}
