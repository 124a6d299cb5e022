package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.GetCaseRequest;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees, over the management port's real HTTP: liveness and readiness, Prometheus
 * metrics of the gRPC calls, Axon's command bus and the projections' distance to the log; and one
 * request log line per call, carrying the caller and correlation id in its log context.
 */
class ObservabilityEndToEndTest {

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> requests = new ListAppender<>();
    private MinqingServer server;
    private MinqingClient client;

    @BeforeEach
    void start() {
        server = MinqingServer.start(dataDir, "logging.level.minqing.requests=INFO");
        client = server.client(MinqingClient.DEV_KEY);
        Logger logger = (Logger) LoggerFactory.getLogger("minqing.requests");
        requests.start();
        logger.addAppender(requests);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger("minqing.requests")).detachAppender(requests);
        client.close();
        server.close();
    }

    @Test
    void probesAndMetricsAreServedOnTheManagementPort() throws Exception {
        String name = client.commands.reportCase(CaseLifecycleEndToEndTest.report("OBS-1")).getCase();
        client.awaitRevision(name, 1);
        try (MinqingClient stranger = server.client("not-a-key")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> stranger.queries.getCase(
                    GetCaseRequest.newBuilder().setName(name).build())).isInstanceOf(StatusRuntimeException.class);
        }

        assertThat(get("/actuator/health/liveness")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"status\":\"UP\"");
        });
        await("readiness: the projections caught up").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> readiness = get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"projections\"", "\"case-summary\"", "\"state\":\"ready\"");
        });
        await("gRPC health: ready").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsMatching(e -> e instanceof StatusRuntimeException) // NOT_FOUND until the first update
                .untilAsserted(() -> assertThat(client.health("readiness")).isEqualTo(ServingStatus.SERVING));
        assertThat(client.health("liveness")).isEqualTo(ServingStatus.SERVING);
        assertThat(client.health("")).isEqualTo(ServingStatus.SERVING);

        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics)
                .containsPattern("grpc_server_seconds_count\\{[^}]*grpc_status_code=\"OK\",rpc_method=\"ReportCase\"")
                .containsPattern("grpc_server_seconds_count\\{[^}]*grpc_status_code=\"UNAUTHENTICATED\",rpc_method=\"GetCase\"")
                .containsPattern("grpc_server_seconds_bucket\\{")
                .containsPattern("minqing_projection_behind\\{[^}]*processor=\"case-summary\"")
                .containsPattern("minqing_projection_failed\\{[^}]*processor=\"case-timeline\"[^}]*\\} 0")
                .containsPattern("commandBus[A-Za-z_]*\\{[^}]*payloadType=\"[^\"]*ReportCase\"")
                .contains("minqing_watch_streams", "minqing_request_ledger_records")
                .contains("hikaricp_connections_active", "jvm_memory_used_bytes");
        if (TestDatabase.postgres()) { // PostgreSQL syncs its own commits, one per command
            assertThat(metrics).doesNotContain("minqing_event_store_syncs", "minqing_commands_batch_size");
        } else { // the embedded store's group commit synced at least once, after a batch
            assertThat(metrics)
                    .containsPattern("minqing_event_store_syncs_seconds_count\\{[^}]*\\} [1-9]")
                    .containsPattern("minqing_commands_batch_size_count\\{[^}]*\\} [1-9]");
        }
    }

    @Test
    void readinessIsDownWhileAProjectionIsFurtherBehindThanAllowed() throws Exception {
        server.close();
        server = MinqingServer.start(dataDir, "minqing.operations.readiness-max-behind=-1");

        // First not ready because they have not caught up since the start, then because of the bound.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> readiness = get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).contains("\"status\":\"DOWN\"", "\"state\":\"behind\"");
        });
        assertThat(get("/actuator/health/liveness").statusCode()).as("alive all the same").isEqualTo(200);
        try (MinqingClient probe = server.client(null)) {
            await("gRPC health: not ready").atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsMatching(e -> e instanceof StatusRuntimeException) // NOT_FOUND until the first update
                    .untilAsserted(() -> {
                        assertThat(probe.health("readiness")).isEqualTo(ServingStatus.NOT_SERVING);
                        assertThat(probe.health("liveness")).isEqualTo(ServingStatus.SERVING);
                    });
            assertThat(probe.health("")).as("the server itself is up").isEqualTo(ServingStatus.SERVING);
        }
    }

    @Test
    void everyCallLogsOneLineWithItsCallerAndCorrelationId() {
        String name = client.commands.reportCase(CaseLifecycleEndToEndTest.report("OBS-2")).getCase();
        client.awaitRevision(name, 1);

        // A call's line is written as it completes, which the client may see first: wait for it.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(List.copyOf(requests.list))
                .filteredOn(e -> e.getFormattedMessage().startsWith("minqing.v1.CaseCommandService/ReportCase OK"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getFormattedMessage()).contains("principal=dev", "correlation_id=");
                    assertThat(e.getMDCPropertyMap()).containsEntry("principal", "dev")
                            .containsEntry("rpc", "minqing.v1.CaseCommandService/ReportCase").containsKey("correlation_id");
                }));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(List.copyOf(requests.list))
                .filteredOn(e -> e.getFormattedMessage().contains("GetCase OK"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("case", name)));
        assertThat(requests.list).as("health checks are not logged")
                .noneMatch(e -> e.getFormattedMessage().startsWith("grpc.health"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
