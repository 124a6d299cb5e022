package org.minqing.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;

/**
 * The server under test as a separate process ({@code java -jar server/target/minqing.jar}) on its own
 * data directory and a free loopback port. Closing it (or the harness exiting) stops it, so a
 * benchmark never leaves a server behind.
 */
final class ServerProcess implements AutoCloseable {

    final Process process;
    final int port;
    final Path dataDir;
    /**
     * From launching the JVM to the server's own "started" moment: Spring Boot's "process running
     * for" figure in its log, which no client's connection back-off can inflate. The time until a
     * fresh health check answers SERVING is the fallback when the line is missing.
     */
    final double startSeconds;
    private final Thread killer;

    private ServerProcess(Process process, int port, Path dataDir, double startSeconds, Thread killer) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.startSeconds = startSeconds;
        this.killer = killer;
    }

    static ServerProcess start(Path jar, Path dataDir, List<String> jvmOptions) throws Exception {
        return start(jar, dataDir, jvmOptions, List.of());
    }

    /** @param properties extra Spring properties as {@code name=value} */
    static ServerProcess start(Path jar, Path dataDir, List<String> jvmOptions, List<String> properties)
            throws Exception {
        int port = freePort();
        long launched = System.nanoTime();
        Process process = launch(jar, dataDir, jvmOptions, properties, port);
        Path log = log(dataDir);
        // The harness may be interrupted (Ctrl-C, a failure): never leave the server running.
        Thread killer = new Thread(process::destroyForcibly, "stop-server-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            awaitServing(process, port, log);
        } catch (Exception e) {
            stop(process);
            Runtime.getRuntime().removeShutdownHook(killer);
            throw e;
        }
        double serving = (System.nanoTime() - launched) / 1e9;
        return new ServerProcess(process, port, dataDir, startedAccordingTo(log).orElse(serving), killer);
    }

    /**
     * Launches the server on {@code port} and returns at once, its output appended to the data
     * directory's log ({@code <data>-server.log} beside it); the caller waits for it and stops it.
     */
    static Process launch(Path jar, Path dataDir, List<String> jvmOptions, List<String> properties, int port)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Machine.javaBinary());
        command.addAll(jvmOptions);
        command.add("-Daxoniq.update-checker.disabled=true");
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.add("--spring.profiles.active=dev");
        command.add("--minqing.data-dir=" + dataDir.toAbsolutePath());
        command.add("--spring.grpc.server.port=" + port);
        // Spring gRPC takes host:port here (a bare host would fall back to port 9090): loopback only.
        command.add("--spring.grpc.server.address=127.0.0.1:" + port);
        command.add("--server.port=0"); // the HTTP face and
        command.add("--management.server.port=0"); // the management port: any free ones
        properties.forEach(p -> command.add("--" + p));
        Files.createDirectories(dataDir);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(dataDir).toFile())).start();
    }

    private static Path log(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    }

    /**
     * Starts and stops the server once on an empty data directory, so that its schema exists and its
     * projections hold tokens at the start of the (still empty) log before data is bulk-loaded. (It
     * was first a workaround for a token bug, since fixed; it keeps runs comparable with the first.)
     *
     * @param properties the event store selection ({@link Options#engineProperties()})
     */
    static void prime(Path jar, Path dataDir, List<String> properties) throws Exception {
        try (ServerProcess ignored = start(jar, dataDir, List.of(), properties)) {
            Thread.sleep(2_000); // let both processors claim their segments and store their tokens
        }
    }

    /** The JVM's uptime when Spring Boot reported the application started (the last such line: restarts append). */
    private static java.util.OptionalDouble startedAccordingTo(Path log) throws IOException {
        java.util.regex.Pattern started = java.util.regex.Pattern.compile("process running for ([0-9.]+)\\)");
        java.util.OptionalDouble seconds = java.util.OptionalDouble.empty();
        for (String line : Files.readAllLines(log)) {
            java.util.regex.Matcher m = started.matcher(line);
            if (m.find()) {
                seconds = java.util.OptionalDouble.of(Double.parseDouble(m.group(1)));
            }
        }
        return seconds;
    }

    /** Resets the channel's reconnect back-off before each look: refused connections would otherwise space them out. */
    private static void awaitServing(Process process, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (Rpc rpc = new Rpc(port)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + log);
                }
                rpc.channel.resetConnectBackoff();
                try {
                    HealthCheckResponse health = rpc.health.withDeadlineAfter(1, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance());
                    if (health.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                        return;
                    }
                } catch (io.grpc.StatusRuntimeException notYet) {
                    // not listening yet
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("server not healthy within 10 minutes; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Resident set size of the server process, from /proc (Linux). */
    long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
        return -1;
    }

    Rpc client() {
        return new Rpc(port);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: a graceful Spring shutdown closes the H2 file cleanly
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
        Runtime.getRuntime().removeShutdownHook(killer);
    }
}
