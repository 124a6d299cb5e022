package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.ReportCaseRequest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL restarts while partners are reporting cases: in-flight commands fail with
 * UNAVAILABLE, partners retry with the same request id, and every acknowledged report is in the
 * store exactly once and reaches the read models. Restarts the machine's PostgreSQL cluster, so it
 * runs only in the PostgreSQL pass.
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

    private static void restartPostgres() throws IOException, InterruptedException {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            String version = versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
            Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main",
                    "restart", "-m", "fast").inheritIO().start();
            assertThat(restart.waitFor()).as("pg_ctlcluster restart").isZero();
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
