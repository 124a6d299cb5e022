package org.minqing.server;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged server (target/minqing.jar) as an operator starts it: its own process, on a data directory. */
final class ServerJar {

    private ServerJar() {
    }

    /** Starts the jar in the dev profile on {@code port} and waits until it has started. */
    static Process start(Path data, int port, Path log, List<String> extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Daxoniq.update-checker.disabled=true",
                "-jar", Path.of("target", "minqing.jar").toAbsolutePath().toString(),
                "--spring.profiles.active=dev", "--minqing.data-dir=" + data, "--spring.grpc.server.port=" + port,
                "--spring.grpc.server.address=127.0.0.1:" + port, "--server.port=0", "--management.server.port=0"));
        TestDatabase.propertiesFor(data).forEach(p -> command.add("--" + p));
        command.addAll(extra);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("the server started; see " + log).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the server exited; see " + log);
                    }
                    return Files.readString(log).contains("Started MinqingApplication");
                });
        return process;
    }
}
