package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.ReportCaseRequest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL restarts while partners are reporting cases: in-flight commands fail with
 * UNAVAILABLE, partners retry with the same request id, and every acknowledged report is in the
 * store exactly once and reaches the read models; and readiness (HTTP and gRPC health) is down
 * while the database is away. Stops and restarts the machine's PostgreSQL cluster, so it runs only
 * in the PostgreSQL pass.
 */
class PostgresRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void noAcknowledgedCommandIsLostWhenPostgresRestartsUnderLoad() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<Status.Code, AtomicInteger> failures = new ConcurrentHashMap<>();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService partners = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                done.add(partners.submit(() -> {
                    while (running.get()) {
                        ReportCaseRequest report = CaseLifecycleEndToEndTest.report("PG-" + requestId());
                        // A partner retries an unanswered report with the same request id until it is acknowledged.
                        for (int attempt = 0; attempt < 100; attempt++) {
                            try {
                                acknowledged.add(client.commands.reportCase(report).getCase());
                                break;
                            } catch (StatusRuntimeException e) {
                                failures.computeIfAbsent(e.getStatus().getCode(), c -> new AtomicInteger()).incrementAndGet();
                                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                                    unexpected.add(e.getStatus().toString());
                                }
                                sleep(200);
                            }
                        }
                    }
                    return null;
                }));
            }
            sleep(3000);
            int beforeRestart = acknowledged.size();
            restartPostgres();
            sleep(6000);
            running.set(false);
            for (Future<?> f : done) {
                f.get();
            }
            partners.shutdown();

            System.out.printf("PostgreSQL restart under load: %d reports acknowledged (%d before the restart), failures %s%n",
                    acknowledged.size(), beforeRestart, failures);
            assertThat(unexpected).as("failures other than UNAVAILABLE: %s", failures).isEmpty();
            assertThat(acknowledged.size()).as("reports acknowledged after the restart").isGreaterThan(beforeRestart);

            JdbcTemplate jdbc = server.context.getBean(JdbcTemplate.class);
            for (String name : acknowledged) {
                String caseId = name.substring("cases/".length());
                assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class, caseId))
                        .as("events of acknowledged %s", name).isEqualTo(1L);
            }
            await("the projections resumed and caught up").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM case_summary", Long.class))
                            .isEqualTo(acknowledged.size()));
        }
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsAwayAndComesBackWithIt() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            await("ready").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(readiness(server).statusCode()).isEqualTo(200);
                assertThat(client.health("readiness")).isEqualTo(ServingStatus.SERVING);
            });
            pgCtlCluster("stop", "-m", "fast");
            try {
                await("not ready without the database").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> readiness = readiness(server);
                    assertThat(readiness.statusCode()).isEqualTo(503);
                    assertThat(readiness.body()).containsPattern("\"db\":\\{[^}]*Failed to obtain JDBC Connection[^}]*\\},\"status\":\"DOWN\"");
                    assertThat(client.health("readiness")).isEqualTo(ServingStatus.NOT_SERVING);
                });
                assertThat(client.health("liveness")).as("alive all the same").isEqualTo(ServingStatus.SERVING);
            } finally {
                pgCtlCluster("start");
            }
            await("ready again").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(readiness(server).statusCode()).isEqualTo(200);
                assertThat(client.health("readiness")).isEqualTo(ServingStatus.SERVING);
            });
        }
    }

    private static HttpResponse<String> readiness(MinqingServer server) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.managementPort() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void restartPostgres() throws IOException, InterruptedException {
        pgCtlCluster("restart", "-m", "fast");
    }

    private static void pgCtlCluster(String... action) throws IOException, InterruptedException {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            String version = versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
            List<String> command = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main"));
            command.addAll(List.of(action));
            Process process = new ProcessBuilder(command).inheritIO().start();
            assertThat(process.waitFor()).as("pg_ctlcluster %s", String.join(" ", action)).isZero();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
