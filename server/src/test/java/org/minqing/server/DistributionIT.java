package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.CaseChange;
import org.minqing.crash.CrashRun;

/**
 * The distribution archive as an operator installs it: unpacked with tar, started through
 * {@code bin/minqing} with the example configuration in place, ready on the management port,
 * taking a report over gRPC, logging it as one JSON line (ECS) with its log context, and stopped
 * with SIGTERM — exit status 143 and no stack trace.
 */
class DistributionIT {

    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void theArchiveUnpacksStartsServesAndStopsCleanly() throws Exception {
        Path archive;
        try (Stream<Path> built = Files.list(Path.of("target"))) {
            archive = built.filter(p -> p.getFileName().toString().matches("minqing-.*-dist\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("no distribution archive in target/"));
        }
        run(new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C", work.toString()));
        Path home;
        try (Stream<Path> unpacked = Files.list(work)) {
            home = unpacked.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(home.resolve("bin/minqing")).isExecutable();
        assertThat(home.resolve("config/application.yml")).content().contains("#minqing:", "#  security:");
        assertThat(home.resolve("systemd/minqing.service")).content().contains("ExecStart=/opt/minqing/bin/minqing");

        int grpcPort = CrashRun.freePort();
        int managementPort = CrashRun.freePort();
        Path log = work.resolve("server.log");
        ProcessBuilder start = new ProcessBuilder(home.resolve("bin/minqing").toString(),
                "--spring.profiles.active=dev", "--minqing.data-dir=" + work.resolve("data"),
                "--spring.grpc.server.port=" + grpcPort, "--server.port=0", "--management.server.port=" + managementPort,
                "--logging.structured.format.console=ecs")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        start.environment().put("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -Daxoniq.update-checker.disabled=true");
        Process server = start.start();
        processes.add(server);

        // HTTP/1.1 and a timeout per probe: a probe that hangs must not use up the whole wait.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        AtomicReference<String> lastAnswer = new AtomicReference<>("no answer yet");
        try {
            await("ready on the management port").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .failFast("the server exited", () -> !server.isAlive())
                    .ignoreExceptions().until(() -> {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(readiness)
                                        .timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        lastAnswer.set(answer.statusCode() + " " + answer.body());
                        return answer.statusCode() == 200;
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            // The log lives in a temporary directory that is gone when the run ends: say here what it held.
            throw new AssertionError(e.getMessage() + "; readiness last said: " + lastAnswer.get() + "; the server's log:\n"
                    + tail(log, 60), e);
        }
        try (MinqingClient client = new MinqingClient(grpcPort, MinqingClient.DEV_KEY)) {
            CaseChange reported = client.commands.reportCase(CaseLifecycleEndToEndTest.report("DIST-1"));
            assertThat(reported.getRevision()).isEqualTo(1);
        }

        // The auditor's command line through the same script, with its own JVM defaults (JAVA_OPTS unset).
        ProcessBuilder audit = new ProcessBuilder(home.resolve("bin/minqing").toString(), "audit", "verify", "--all",
                "--target", "127.0.0.1:" + grpcPort, "--api-key", MinqingClient.AUDITOR_KEY).redirectErrorStream(true);
        audit.environment().put("JAVA_HOME", System.getProperty("java.home"));
        audit.environment().remove("JAVA_OPTS");
        Process auditor = audit.start();
        String verdict = new String(auditor.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(auditor.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(auditor.exitValue()).as(verdict).isZero();
        assertThat(verdict).contains("1 events in 1 cases: 1 intact, 0 broken");

        server.destroy(); // SIGTERM
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
        assertThat(server.exitValue()).isEqualTo(143);
        String lines = Files.readString(log);
        assertThat(lines).contains("Started MinqingApplication").doesNotContain("\tat ");
        assertThat(lines.lines().filter(line -> line.contains("CaseCommandService/ReportCase OK")))
                .as("the request's log line, as JSON with its log context").singleElement().satisfies(line -> assertThat(line)
                        .startsWith("{").contains("\"logger\":\"minqing.requests\"", "\"principal\":\"dev\"",
                                "\"correlation_id\":\""));
    }

    private static String tail(Path file, int lines) throws java.io.IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void run(ProcessBuilder command) throws Exception {
        Process process = command.redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command.command())).isZero();
    }
}
