package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.server.MinqingClient.requestId;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.CaseChange;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/** What a caller sees when KurrentDB is down: a clear status in bounded time, and recovery without a restart. */
class KurrentDbOutageEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void commandsAnswerUnavailableWhileTheStoreIsDownAndSucceedOnRetryWhenItReturns() throws Exception {
        try (KurrentDbTestServer kurrentDb = KurrentDbTestServer.start();
             MinqingServer server = MinqingServer.start(dataDir, "minqing.event-store.engine=kurrentdb",
                     "minqing.event-store.kurrentdb.connection-string=" + kurrentDb.connectionString(),
                     "minqing.event-store.kurrentdb.operation-timeout=2s");
             MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            CaseChange reported = client.commands.reportCase(CaseLifecycleEndToEndTest.report("HL-" + requestId()));
            AcceptCaseRequest accept = AcceptCaseRequest.newBuilder().setName(reported.getCase())
                    .setRequestId(requestId()).build();

            kurrentDb.stop();
            Instant asked = Instant.now();
            assertThatThrownBy(() -> client.commands.acceptCase(accept))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(20));

            kurrentDb.startServing();
            CaseChange accepted = retryWhileUnavailable(() -> client.commands.acceptCase(accept));
            assertThat(accepted.getRevision()).isEqualTo(2);
            assertThat(client.commands.acceptCase(accept)).as("the same request again").isEqualTo(accepted);
        }
    }

    /** What a well-behaved client does with UNAVAILABLE: try again, with the same request id, for a while. */
    static <T> T retryWhileUnavailable(java.util.function.Supplier<T> call) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(20);
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || Instant.now().isAfter(giveUp)) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    @Test
    void startUpFailsClearlyWhenTheStoreCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String connectionString = "kurrentdb://127.0.0.1:" + closedPort + "?tls=false&maxDiscoverAttempts=2&discoveryInterval=100";

        assertThatThrownBy(() -> MinqingServer.start(dataDir, "minqing.event-store.engine=kurrentdb",
                "minqing.event-store.kurrentdb.connection-string=" + connectionString,
                "minqing.event-store.kurrentdb.operation-timeout=3s"))
                .hasStackTraceContaining("KurrentDB is not reachable at kurrentdb://127.0.0.1:" + closedPort);
    }
}
