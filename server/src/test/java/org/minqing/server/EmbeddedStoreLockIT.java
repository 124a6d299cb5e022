package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.crash.CrashRun;

/**
 * Two packaged servers on one data directory: the second stops within seconds, exit status 1,
 * with one sentence naming the directory; the first goes on. Only the embedded store locks a
 * data directory, so this does not run in the PostgreSQL pass.
 */
@DisabledIfSystemProperty(named = "minqing.test.database", matches = "postgresql")
class EmbeddedStoreLockIT {

    private final List<Process> servers = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void stopServers() {
        servers.forEach(Process::destroyForcibly);
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryStopsAtOnceNamingIt() throws Exception {
        Path data = work.resolve("data");
        Path firstLog = work.resolve("first.log");
        Process first = start(data, firstLog);
        await("the first server started").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    assertThat(first.isAlive()).as("the first server exited; see " + firstLog).isTrue();
                    return Files.readString(firstLog).contains("Started MinqingApplication");
                });

        Path secondLog = work.resolve("second.log");
        Process second = start(data, secondLog);
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second server still runs; see " + secondLog).isTrue();

        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(Files.readString(secondLog))
                .contains("Another process is using the data directory " + data + " (its H2 file is locked).")
                .doesNotContain("\tat ");
        assertThat(first.isAlive()).as("the first server goes on").isTrue();
    }

    private Process start(Path data, Path log) throws Exception {
        int port = CrashRun.freePort();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Daxoniq.update-checker.disabled=true",
                "-jar", Path.of("target", "minqing.jar").toAbsolutePath().toString(),
                "--spring.profiles.active=dev", "--minqing.data-dir=" + data, "--spring.grpc.server.port=" + port,
                "--spring.grpc.server.address=127.0.0.1:" + port, "--server.port=0", "--management.server.port=0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(process);
        return process;
    }
}
