package org.minqing.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.crash.CrashRun;

/**
 * The packaged jar killed with SIGKILL under load, again and again, restarted on the same data
 * (the H2 file, or with {@code -Dminqing.test.database=postgresql} a PostgreSQL database): no
 * acknowledged command may be lost or applied twice, every case's hash chain must verify, and
 * both read models must catch up with the log without skipping an event. The lanes, the kills
 * and the checks are {@link CrashRun}'s (module crash-check), shared with the benchmark harness's
 * {@code crash} scenario.
 *
 * <p>{@code -Dminqing.crash.seed=N} repeats a run's kill moments (the seed is printed),
 * {@code -Dminqing.crash.kills=10}, {@code -Dminqing.crash.lanes=6}; {@code
 * -Dminqing.crash.server-properties="name=value …"} passes more properties to the server (for
 * experiments). A failed run keeps its data and server logs and names their directory.
 */
class CrashRecoveryIT {

    private final List<Process> servers = new CopyOnWriteArrayList<>();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @AfterEach
    void killServers() {
        servers.forEach(Process::destroyForcibly);
    }

    @Test
    void killedUnderLoadTheServerLosesNoAcknowledgedCommandAppliesNoneTwiceAndItsReadModelsCatchUp()
            throws Exception {
        Path data = work.resolve("data");
        List<String> properties = new ArrayList<>(TestDatabase.propertiesFor(data));
        String extra = System.getProperty("minqing.crash.server-properties", "").trim();
        if (!extra.isEmpty()) {
            properties.addAll(Arrays.asList(extra.split("\\s+")));
        }
        CrashRun.Launcher launcher = port -> {
            // C1 only and the serial GC: each of the eleven starts is about a second shorter on two
            // cores; how fast the server runs is not what this test is about.
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Daxoniq.update-checker.disabled=true",
                    "-jar", Path.of("target", "minqing.jar").toAbsolutePath().toString(),
                    "--spring.profiles.active=dev", "--minqing.data-dir=" + data, "--spring.grpc.server.port=" + port,
                    "--spring.grpc.server.address=127.0.0.1:" + port, "--server.port=0", "--management.server.port=0"));
            properties.forEach(p -> command.add("--" + p));
            Path log = work.resolve(String.format("server-%02d.log", servers.size() + 1));
            Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            servers.add(server);
            return server;
        };
        long seed = Long.getLong("minqing.crash.seed", System.nanoTime());
        String where = " [seed " + seed + "; data and server logs in " + work + "]";
        CrashRun.Result run;
        try {
            run = CrashRun.run(launcher, Integer.getInteger("minqing.crash.kills", 10),
                    Integer.getInteger("minqing.crash.lanes", 6), seed, System.out);
        } catch (Exception e) {
            throw new AssertionError("the crash run did not complete" + where, e);
        }

        var verdict = run.verdict();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(run.killExitCodes()).as("exit status of each killed server (137: SIGKILL)" + where)
                .hasSize(run.kills()).containsOnly(137);
        softly.assertThat(run.stopExitCode()).as("exit status of the server stopped with SIGTERM (143)" + where)
                .isEqualTo(143);
        // The stopped server is the last but one started: a clean stop logs no stack trace.
        Path stoppedLog = work.resolve(String.format("server-%02d.log", servers.size() - 1));
        softly.assertThat(java.nio.file.Files.readAllLines(stoppedLog))
                .as("stack traces in the log of the server stopped with SIGTERM (%s)%s", stoppedLog, where)
                .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
        softly.assertThat(verdict.acknowledged()).as("acknowledged commands" + where).isGreaterThan(100);
        softly.assertThat(run.ledger().retriedUnanswered()).as("commands retried after no answer" + where).isPositive();
        expectNone(softly, verdict.lost(), "of " + verdict.acknowledged() + " acknowledged commands lost", where);
        expectNone(softly, verdict.appliedTwice(), "request ids applied twice", where);
        expectNone(softly, verdict.chainsBroken(), "of " + verdict.cases() + " cases' hash chains broken", where);
        expectNone(softly, verdict.readModelsBehind(), "of " + verdict.cases()
                + " cases' read models not caught up with the log after 30 s", where);
        expectNone(softly, run.ledger().refusals(), "commands refused (a lane's next step must fit its case)", where);
        softly.assertAll();
    }

    private static void expectNone(SoftAssertions softly, List<String> problems, String what, String where) {
        List<String> shown = problems.subList(0, Math.min(20, problems.size()));
        softly.assertThat(problems.size()).as("%d %s%s; first %d:%n  %s%n", problems.size(), what, where,
                shown.size(), String.join("\n  ", shown)).isZero();
    }
}
