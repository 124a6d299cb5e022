package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.CaseVerification;
import org.minqing.api.v1.VerifyCaseRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The city topology, for real: the packaged jar started as two command processes, two projection
 * processes and one query process against one PostgreSQL database. Runs in the PostgreSQL pass
 * ({@code -Dminqing.test.database=postgresql}), after the jar is built.
 */
class MultiProcessIT {

    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void commandsThroughEitherCommandProcessLoseNoUpdateAndProjectionsFailOverOnTokenClaims() throws Exception {
        List<String> database = TestDatabase.propertiesFor(work);
        Node command1 = start("command-1", database, "minqing.roles.projections=false", "minqing.roles.query=false");
        Node command2 = start("command-2", database, "minqing.roles.projections=false", "minqing.roles.query=false");
        Node projections1 = start("projections-1", database, "minqing.roles.command=false", "minqing.roles.query=false");
        Node projections2 = start("projections-2", database, "minqing.roles.command=false", "minqing.roles.query=false");
        Node query = start("query", database, "minqing.roles.command=false", "minqing.roles.projections=false");
        for (Node node : List.of(command1, command2, projections1, projections2, query)) {
            awaitServing(node);
        }

        try (MinqingClient viaCommand1 = new MinqingClient(command1.port, MinqingClient.DEV_KEY);
             MinqingClient viaCommand2 = new MinqingClient(command2.port, MinqingClient.DEV_KEY);
             MinqingClient reader = new MinqingClient(query.port, MinqingClient.DEV_KEY)) {
            CaseChange reported = viaCommand1.commands.reportCase(CaseLifecycleEndToEndTest.report("MP-" + requestId()));
            String name = reported.getCase();

            int notesPerWriter = 10;
            addNotesConcurrently(name, List.of(viaCommand1, viaCommand2, viaCommand1, viaCommand2), notesPerWriter);
            long expected = 1 + 4L * notesPerWriter;
            assertThat(reader.awaitRevision(name, expected).getRevision()).isEqualTo(expected);
            assertThat(reader.awaitTimeline(name, (int) expected)).hasSize((int) expected);

            // Kill the projection process that holds the summary's token; the other must take it over.
            JdbcTemplate jdbc = jdbc(database);
            String owner = awaitOwner(jdbc);
            Node holder = owner.startsWith(projections1.process.pid() + "@") ? projections1 : projections2;
            Node survivor = holder == projections1 ? projections2 : projections1;
            holder.process.destroyForcibly().waitFor();

            addNotesConcurrently(name, List.of(viaCommand2, viaCommand1), notesPerWriter);
            long afterFailover = expected + 2L * notesPerWriter;
            assertThat(reader.awaitRevision(name, afterFailover).getRevision()).isEqualTo(afterFailover);
            assertThat(awaitOwner(jdbc)).startsWith(survivor.process.pid() + "@");

            Long stored = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                    Long.class, name.substring("cases/".length()));
            assertThat(stored).isEqualTo(afterFailover);

            // Writers in two processes raced (and retried) on one case: its hash chain is still one chain.
            try (MinqingClient auditor = new MinqingClient(query.port, MinqingClient.AUDITOR_KEY)) {
                CaseVerification verification = auditor.audit.verifyCase(VerifyCaseRequest.newBuilder()
                        .setName(name).build());
                assertThat(verification.getIntact()).as(verification.toString()).isTrue();
                assertThat(verification.getEvents()).isEqualTo(afterFailover);
            }
        }
    }

    private static void addNotesConcurrently(String name, List<MinqingClient> writers, int notesEach) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (MinqingClient writer : writers) {
                done.add(pool.submit(() -> {
                    for (int n = 0; n < notesEach; n++) {
                        writer.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(name)
                                .setRequestId(requestId()).setNote("note " + n).build());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The node currently holding the case-summary processor's token (owner = "pid@host"). */
    private static String awaitOwner(JdbcTemplate jdbc) {
        return await("a process claiming the case-summary token").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.queryForList("SELECT owner FROM token_entry WHERE processor_name = 'case-summary'"
                        + " AND owner IS NOT NULL", String.class), owners -> !owners.isEmpty())
                .get(0);
    }

    private static JdbcTemplate jdbc(List<String> database) {
        String url = value(database, "spring.datasource.url");
        return new JdbcTemplate(new DriverManagerDataSource(url, value(database, "spring.datasource.username"), ""));
    }

    private static String value(List<String> properties, String key) {
        return properties.stream().filter(p -> p.startsWith(key + "=")).findFirst()
                .map(p -> p.substring(key.length() + 1)).orElseThrow();
    }

    private record Node(String name, Process process, int port) {
    }

    private Node start(String name, List<String> database, String... roles) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Daxoniq.update-checker.disabled=true",
                "-jar", Path.of("target", "minqing.jar").toAbsolutePath().toString(),
                "--spring.grpc.server.port=" + port, "--server.port=0", "--management.server.port=0",
                "--spring.profiles.active=dev", "--minqing.data-dir=" + work.resolve(name)));
        database.forEach(p -> command.add("--" + p));
        for (String role : roles) {
            command.add("--" + role);
        }
        Files.createDirectories(Path.of("target", "multi-process"));
        File log = Path.of("target", "multi-process", name + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        processes.add(process);
        return new Node(name, process, port);
    }

    private static void awaitServing(Node node) {
        await(node.name + " serving").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .ignoreException(StatusRuntimeException.class) // still starting
                .until(() -> {
                    assertThat(node.process.isAlive()).as(node.name + " exited; see target/multi-process/" + node.name
                            + ".log").isTrue();
                    try (MinqingClient client = new MinqingClient(node.port, null)) {
                        return HealthGrpc.newBlockingStub(client.channel)
                                .withDeadlineAfter(2, java.util.concurrent.TimeUnit.SECONDS)
                                .check(HealthCheckRequest.getDefaultInstance()).getStatus()
                                == HealthCheckResponse.ServingStatus.SERVING;
                    }
                });
    }
}
