package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.ReplayCaseRequest;
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

    /**
     * The append's answer never comes (the server is slower than the deadline, and so is the resend)
     * but the append lands: the caller was told UNAVAILABLE, and retries as it should. The retry is
     * answered with the note's outcome, and the case holds the note once.
     */
    @Test
    void aRetryAfterUnavailableWhoseAppendLandedRecordsTheNoteOnce() throws Exception {
        try (KurrentDbTestServer kurrentDb = KurrentDbTestServer.start();
             MinqingServer server = MinqingServer.start(dataDir, "minqing.event-store.engine=kurrentdb",
                     "minqing.event-store.kurrentdb.connection-string=" + kurrentDb.connectionString(),
                     "minqing.event-store.kurrentdb.operation-timeout=1s");
             MinqingClient client = server.client(MinqingClient.DEV_KEY);
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            CaseChange reported = client.commands.reportCase(CaseLifecycleEndToEndTest.report("HL-" + requestId()));
            AddProgressNoteRequest note = AddProgressNoteRequest.newBuilder().setName(reported.getCase())
                    .setRequestId(requestId()).setNote("called the property manager").build();
            long applied = kurrentDb.appendsApplied();

            kurrentDb.delayAppends(Duration.ofMillis(1500));
            assertThatThrownBy(() -> client.commands.addProgressNote(note))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            kurrentDb.delayAppends(Duration.ZERO);
            await("the append and its resend reach the log").atMost(Duration.ofSeconds(10))
                    .until(() -> kurrentDb.appendsApplied() >= applied + 2);

            CaseChange retried = retryWhileUnavailable(() -> client.commands.addProgressNote(note));

            assertThat(retried.getRevision()).as("the note's revision: the one that landed").isEqualTo(2);
            assertThat(retried.getEventTypesList()).containsExactly("minqing.v1.ProgressNoteAdded");
            List<String> types = new ArrayList<>();
            auditor.audit.replayCase(ReplayCaseRequest.newBuilder().setName(reported.getCase()).build())
                    .forEachRemaining(event -> types.add(event.getType()));
            assertThat(types).as("the case's events").containsExactly("minqing.v1.CaseReported", "minqing.v1.ProgressNoteAdded");
            assertThat(client.commands.addProgressNote(note)).as("and again, now from the ledger").isEqualTo(retried);
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
