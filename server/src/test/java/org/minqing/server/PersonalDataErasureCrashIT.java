package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseView;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.PersonalDataState;
import org.minqing.crash.CrashRun;

/**
 * The packaged server killed with SIGKILL in the middle of an erasure, and while citizens are due
 * for retention: the restarted server completes both. On the embedded store or, with
 * {@code -Dminqing.test.database=postgresql}, PostgreSQL.
 */
class PersonalDataErasureCrashIT {

    private final List<Process> servers = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void stopServers() {
        servers.forEach(Process::destroyForcibly);
    }

    /**
     * Killed right after an acknowledged erasure, before it was recorded in the citizen's other
     * case (the queue is held back): that case's data is unreadable from the first moment (the key
     * went with the acknowledged event), and the restarted server records the erasure there.
     */
    @Test
    void anErasureAcknowledgedBeforeAKillReachesTheCitizensOtherCaseAfterTheRestart() throws Exception {
        Path data = work.resolve("data");
        int port = CrashRun.freePort();
        Process first = start(data, port, work.resolve("first.log"), "--minqing.privacy.erasure-queue-interval=PT1H");
        String erased;
        String other;
        try (MinqingClient dispatcher = new MinqingClient(port, MinqingClient.DEV_KEY);
             MinqingClient officer = new MinqingClient(port, MinqingClient.PRIVACY_OFFICER_KEY)) {
            erased = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("KC-" + requestId())).getCase();
            other = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("KC-" + requestId())).getCase();
            dispatcher.awaitRevision(other, 1);
            officer.commands.erasePersonalData(PersonalDataErasureEndToEndTest.erase(erased));
            dispatcher.awaitRevision(erased, 2);
            assertThat(full(dispatcher, erased).getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
            Case unrecorded = full(dispatcher, other);
            assertThat(unrecorded.getPersonalData()).as("unreadable at once: the key went with the first event")
                    .isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
            assertThat(unrecorded.getRevision()).as("the queue is held back: not yet recorded in its history")
                    .isEqualTo(1);
        }
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        start(data, port, work.resolve("second.log"), "--minqing.privacy.erasure-queue-interval=PT0.5S");
        try (MinqingClient dispatcher = new MinqingClient(port, MinqingClient.DEV_KEY)) {
            await("the other case's erasure recorded, after the restart").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(full(dispatcher, other).getRevision()).isEqualTo(2));
            assertThat(full(dispatcher, other).getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
            assertThat(full(dispatcher, other).getCitizen().getName()).isEmpty();
            assertThat(full(dispatcher, erased).getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
        }
    }

    /**
     * Retention keeps nothing between rounds: citizens who fell due while the server was killed
     * (its round an hour away) are erased by the first round after the restart.
     */
    @Test
    void citizensDueForRetentionWhenTheServerIsKilledAreErasedAfterTheRestart() throws Exception {
        Path data = work.resolve("data");
        int port = CrashRun.freePort();
        Process first = start(data, port, work.resolve("first.log"), "--minqing.privacy.retention.closed-for=PT1S",
                "--minqing.privacy.retention.interval=PT1H");
        String rejected;
        try (MinqingClient dispatcher = new MinqingClient(port, MinqingClient.DEV_KEY)) {
            rejected = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("KR-" + requestId())).getCase();
            dispatcher.commands.rejectCase(org.minqing.api.v1.RejectCaseRequest.newBuilder().setName(rejected)
                    .setRequestId(requestId()).setReason("not a matter for 12345").build());
            dispatcher.awaitRevision(rejected, 2);
        }
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        start(data, port, work.resolve("second.log"), "--minqing.privacy.retention.closed-for=PT1S",
                "--minqing.privacy.retention.interval=PT1S");
        try (MinqingClient dispatcher = new MinqingClient(port, MinqingClient.DEV_KEY)) {
            // The full view says ERASED as soon as the key is gone; the revision, once the read model has the event.
            await("retention after the restart").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().untilAsserted(() -> assertThat(full(dispatcher, rejected).getRevision()).isEqualTo(3));
            assertThat(full(dispatcher, rejected).getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
        }
    }

    private static Case full(MinqingClient client, String name) {
        return client.queries.getCase(GetCaseRequest.newBuilder().setName(name).setView(CaseView.CASE_VIEW_FULL).build());
    }

    private Process start(Path data, int port, Path log, String... extra) throws Exception {
        Process process = ServerJar.start(data, port, log, List.of(extra));
        servers.add(process);
        return process;
    }
}
