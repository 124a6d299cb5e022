package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.minqing.server.AuditCliRun.cli;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.api.v1.Checkpoint;
import org.minqing.api.v1.CreateCheckpointRequest;
import org.minqing.api.v1.GetCheckpointKeyRequest;
import org.minqing.api.v1.GetCheckpointRequest;
import org.minqing.api.v1.GetConsistencyProofRequest;
import org.minqing.api.v1.GetInclusionProofRequest;
import org.minqing.server.operations.LogCheckHealth;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the Merkle log and its checkpoints let an auditor prove, through the CLI over real gRPC:
 * an event is in a checkpoint, a later checkpoint extends an earlier one, an export is what a
 * checkpoint committed to — and that deleting a case's latest event, which leaves every chain
 * intact, is caught by a checkpoint signed before it.
 */
class CheckpointEndToEndTest {

    /** The development profile's verifier key (application-dev.yml). */
    static final String DEV_LOG_KEY = "minqing.dev/12345+56b62fce+AVW4hRNW1UtntH7OY143ecWKzeQqq7c/TYH6jUyvyIn2";

    @TempDir
    Path dataDir;

    @Test
    void checkpointsProveInclusionAndGrowthAndCatchADeletedLatestEvent() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.checkpoints.build-interval=200ms");
             MinqingClient centre = server.client(MinqingClient.DEV_KEY);
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            String target = "127.0.0.1:" + server.port;
            List<String> cases = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = centre.commands.reportCase(CaseLifecycleEndToEndTest.report("CP-" + requestId())).getCase();
                centre.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
                cases.add(name);
            }
            Path first = dataDir.resolve("first.note");
            Checkpoint signed = awaitCheckpointOf(auditor, 6);
            assertThat(cli("checkpoint", "--target", target, "--api-key", MinqingClient.AUDITOR_KEY, "--log-key", DEV_LOG_KEY,
                    "--out", first.toString()).out()).contains("6 events", "kept in");
            assertThat(Files.readString(first)).isEqualTo(signed.getNote()).startsWith("minqing.dev/12345\n6\n");
            String caseA = cases.get(0).substring("cases/".length());
            AuditCliRun proven = cli("prove", "--case", caseA, "--revision", "2", "--checkpoint", first.toString(),
                    "--target", target, "--api-key", MinqingClient.AUDITOR_KEY, "--log-key", DEV_LOG_KEY);
            assertThat(proven.status()).as(proven.out()).isZero();
            assertThat(proven.out()).contains("revision 2 is leaf", "of checkpoint 6: proven");

            for (String name : cases) {
                centre.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(name).setRequestId(requestId())
                        .setNote("核实中").build());
            }
            awaitCheckpointOf(auditor, 9);
            Path second = dataDir.resolve("second.note");
            assertThat(cli("checkpoint", "--new", "--target", target, "--api-key", MinqingClient.AUDITOR_KEY,
                    "--log-key", DEV_LOG_KEY, "--out", second.toString()).status()).isZero();
            AuditCliRun consistent = cli("consistency", "--old", first.toString(), "--new-checkpoint", second.toString(),
                    "--target", target, "--api-key", MinqingClient.AUDITOR_KEY, "--log-key", DEV_LOG_KEY);
            assertThat(consistent.out()).contains("checkpoint 9 extends checkpoint 6: consistent");
            Path export = dataDir.resolve("log.ndjson");
            assertThat(cli("export", "--target", target, "--api-key", MinqingClient.AUDITOR_KEY, "--out", export.toString())
                    .status()).isZero();
            AuditCliRun intact = cli("verify-file", export.toString(), "--checkpoint", second.toString(), "--log-key", DEV_LOG_KEY);
            assertThat(intact.status()).as(intact.out()).isZero();
            assertThat(intact.out()).contains("the export's first 9 events are the ones it commits to");

            LogCheckHealth logCheck = server.context.getBean(LogCheckHealth.class);
            logCheck.run();
            assertThat(health(server, "log")).contains("\"status\":\"UP\"", "\"problems\":0", "\"recorded\":9");

            // Someone with write access deletes case A's latest event: every chain is still intact.
            new JdbcTemplate(server.context.getBean(javax.sql.DataSource.class)).update(
                    "DELETE FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 2", caseA);
            Path truncated = dataDir.resolve("truncated.ndjson");
            assertThat(cli("export", "--target", target, "--api-key", MinqingClient.AUDITOR_KEY, "--out",
                    truncated.toString()).status()).isZero();
            assertThat(cli("verify-file", truncated.toString()).status()).as("the chains alone see nothing").isZero();
            AuditCliRun caught = cli("verify-file", truncated.toString(), "--checkpoint", second.toString(), "--log-key", DEV_LOG_KEY);
            assertThat(caught.status()).isEqualTo(1);
            assertThat(caught.out()).contains("the export holds only 8 events: events the checkpoint commits to are MISSING");
            // With the server's consistency proofs (checked against the signed root), the gap is located.
            String caseB = cases.get(1).substring("cases/".length());
            AuditCliRun located = cli("verify-file", truncated.toString(), "--checkpoint", second.toString(),
                    "--log-key", DEV_LOG_KEY, "--target", target, "--api-key", MinqingClient.AUDITOR_KEY);
            assertThat(located.status()).as(located.out()).isEqualTo(1);
            assertThat(located.out()).contains("located: the export's first 6 events are the checkpoint's (proven); event 7"
                    + " of the log, line 7 (cases/" + caseB + " revision 3), is the first that differs");
            Path cut = dataDir.resolve("cut.ndjson");
            Files.write(cut, Files.readAllLines(export).subList(0, 5));
            AuditCliRun cutLocated = cli("verify-file", cut.toString(), "--checkpoint", second.toString(),
                    "--log-key", DEV_LOG_KEY, "--target", target, "--api-key", MinqingClient.AUDITOR_KEY);
            assertThat(cutLocated.out()).contains("located: the export's 5 events are the checkpoint's first 5; its events"
                    + " 6..9 are MISSING from the export");
            AuditCliRun gone = cli("prove", "--case", caseA, "--revision", "3", "--checkpoint", second.toString(),
                    "--target", target, "--api-key", MinqingClient.AUDITOR_KEY, "--log-key", DEV_LOG_KEY);
            assertThat(gone.status()).isEqualTo(1);
            assertThat(gone.out()).contains("has no revision 3 now: NOT PROVEN");

            // The background check of the log says so, on the management port.
            logCheck.run();
            assertThat(health(server, "log")).contains("\"status\":\"DOWN\"",
                    "1 of the 9 events the Merkle log recorded are no longer in the store");
            String caseC = cases.get(2).substring("cases/".length());
            new JdbcTemplate(server.context.getBean(javax.sql.DataSource.class)).update(
                    "UPDATE domain_event_entry SET payload = ? WHERE aggregate_identifier = ? AND sequence_number = 2",
                    ("{\"caseId\":\"" + caseC + "\",\"note\":\"已办结\"}").getBytes(StandardCharsets.UTF_8), caseC);
            logCheck.run();
            assertThat(health(server, "log")).contains("\"problems\":2",
                    "cases/" + caseC + " revision 3: its content does not match its hash");

            // The server does not extend the shortened history: the Merkle log knows it was longer.
            StatusRuntimeException refused = (StatusRuntimeException) org.assertj.core.api.Assertions.catchThrowable(() ->
                    centre.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(cases.get(0))
                            .setRequestId(requestId()).setNote("继续").build()));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
            assertThat(refused.getStatus().getDescription()).contains("case " + caseA, "broken at revision 3");

            // Events written later do not hide it: the first nine are no longer what was signed.
            centre.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(cases.get(1))
                    .setRequestId(requestId()).setNote("回访").build());
            Path later = dataDir.resolve("later.ndjson");
            assertThat(cli("export", "--target", target, "--api-key", MinqingClient.AUDITOR_KEY, "--out",
                    later.toString()).status()).isZero();
            AuditCliRun moved = cli("verify-file", later.toString(), "--checkpoint", second.toString(), "--log-key", DEV_LOG_KEY);
            assertThat(moved.status()).isEqualTo(1);
            assertThat(moved.out()).contains("do NOT give its root", "give --target and --api-key to locate");
            List<String> edited = new ArrayList<>(Files.readAllLines(export));
            java.util.Collections.swap(edited, 1, 2);
            Path swapped = dataDir.resolve("swapped.ndjson");
            Files.write(swapped, edited);
            AuditCliRun reordered = cli("verify-file", swapped.toString(), "--checkpoint", second.toString(),
                    "--log-key", DEV_LOG_KEY, "--target", target, "--api-key", MinqingClient.AUDITOR_KEY);
            assertThat(reordered.out()).as("two cases' events swapped in the export: every chain intact, the place located")
                    .contains("0 broken", "first 1 events are the checkpoint's (proven); event 2 of the log, line 2 (cases/"
                            + caseB + " revision 1)");
            assertThat(moved.out()).as("the altered event, located").containsPattern(
                    "cases/" + caseC + ": BROKEN at revision 3 \\(sequence 2\\): ALTERED, event [^,]+, found at line \\d+: ");

            AuditCliRun otherKey = cli("verify-file", export.toString(), "--checkpoint", second.toString(), "--log-key",
                    DEV_LOG_KEY.replace("minqing.dev/12345+56b62fce", "minqing.dev/other+00000000"));
            assertThat(otherKey.status()).as("a key with a wrong id").isEqualTo(2);
        }
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndAServerWithoutAKeySaysSo() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.checkpoints.signing-key=");
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            assertThat(code(() -> auditor.audit.getInclusionProof(GetInclusionProofRequest.newBuilder()
                    .setCase("not-a-case").setRevision(0).setTreeSize(-1).build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> auditor.audit.getConsistencyProof(GetConsistencyProofRequest.newBuilder()
                    .setFirstTreeSize(5).setSecondTreeSize(3).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            StatusRuntimeException unsigned = (StatusRuntimeException) org.assertj.core.api.Assertions.catchThrowable(
                    () -> auditor.audit.getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
            assertThat(unsigned.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(unsigned.getStatus().getDescription()).contains("minqing.checkpoints.signing-key");
            assertThat(code(() -> auditor.audit.getCheckpointKey(GetCheckpointKeyRequest.getDefaultInstance())))
                    .isEqualTo(Status.Code.FAILED_PRECONDITION);
            try (MinqingClient centre = server.client(MinqingClient.DEV_KEY)) {
                assertThat(code(() -> centre.audit.createCheckpoint(CreateCheckpointRequest.getDefaultInstance())))
                        .as("auditors only").isEqualTo(Status.Code.PERMISSION_DENIED);
            }
        }
    }

    @Test
    void aProofOfAnEventNotInTheCheckpointIsNotFound() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.checkpoints.build-interval=200ms");
             MinqingClient centre = server.client(MinqingClient.DEV_KEY);
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            assertThat(code(() -> auditor.audit.getCheckpoint(GetCheckpointRequest.getDefaultInstance())))
                    .as("none signed yet").isEqualTo(Status.Code.NOT_FOUND);
            String name = centre.commands.reportCase(CaseLifecycleEndToEndTest.report("CP-" + requestId())).getCase();
            awaitCheckpointOf(auditor, 1);
            assertThat(code(() -> auditor.audit.getInclusionProof(GetInclusionProofRequest.newBuilder()
                    .setCase(name).setRevision(2).build()))).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(code(() -> auditor.audit.getCheckpoint(GetCheckpointRequest.newBuilder().setTreeSize(99).build())))
                    .isEqualTo(Status.Code.NOT_FOUND);
            assertThat(auditor.audit.getCheckpointKey(GetCheckpointKeyRequest.getDefaultInstance()).getVerifierKey())
                    .isEqualTo(DEV_LOG_KEY);
        }
    }

    private static String health(MinqingServer server, String component) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + server.managementPort() + "/actuator/health/" + component)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Signs checkpoints on demand until one covers {@code events} (events join once settled). */
    private static Checkpoint awaitCheckpointOf(MinqingClient auditor, long events) {
        return await("a checkpoint of " + events + " events").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> auditor.audit.createCheckpoint(CreateCheckpointRequest.getDefaultInstance()),
                        c -> c.getTreeSize() == events);
    }

    private static Status.Code code(Runnable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
        return ((StatusRuntimeException) thrown).getStatus().getCode();
    }


}
