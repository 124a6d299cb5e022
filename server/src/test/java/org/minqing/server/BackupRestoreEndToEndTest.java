package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.server.MinqingClient.requestId;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.api.v1.CaseVerification;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.VerifyCaseRequest;

/**
 * The runbook's backup and restore, as an operator does it: a backup taken while the server runs
 * (H2: {@code POST /actuator/backup}; PostgreSQL: {@code pg_dump}), restored into a new data
 * directory or database, gives a server whose cases have the same head hashes as at the backup —
 * and nothing written after it.
 */
class BackupRestoreEndToEndTest {

    @TempDir
    Path original;
    @TempDir
    Path restored;
    @TempDir
    Path work;

    @Test
    void aRestoredBackupHasTheSameCasesWithTheSameHeadHashes() throws Exception {
        Map<String, String> heads = new LinkedHashMap<>();
        String afterBackup;
        try (MinqingServer server = MinqingServer.start(original);
             MinqingClient centre = server.client(MinqingClient.DEV_KEY);
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            for (int i = 0; i < 3; i++) {
                String name = centre.commands.reportCase(CaseLifecycleEndToEndTest.report("BAK-" + requestId())).getCase();
                centre.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
                centre.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(name)
                        .setRequestId(requestId()).setNote("备份前 " + i).build());
                heads.put(name, intactHead(auditor, name));
            }
            backUp(server);
            afterBackup = centre.commands.reportCase(CaseLifecycleEndToEndTest.report("BAK-after")).getCase();
        }
        restore();

        try (MinqingServer server = MinqingServer.start(restored);
             MinqingClient centre = server.client(MinqingClient.DEV_KEY);
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            for (Map.Entry<String, String> head : heads.entrySet()) {
                assertThat(intactHead(auditor, head.getKey())).as("head hash of %s after the restore", head.getKey())
                        .isEqualTo(head.getValue());
                assertThat(centre.awaitRevision(head.getKey(), 3).getRevision()).isEqualTo(3);
            }
            assertThatThrownBy(() -> auditor.audit.verifyCase(VerifyCaseRequest.newBuilder().setName(afterBackup).build()))
                    .as("reported after the backup").isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            assertThat(centre.queries.getCase(GetCaseRequest.newBuilder().setName(heads.keySet().iterator().next())
                    .build()).getRevision()).isEqualTo(3);
        }
    }

    private static String intactHead(MinqingClient auditor, String name) {
        CaseVerification verification = auditor.audit.verifyCase(VerifyCaseRequest.newBuilder().setName(name).build());
        assertThat(verification.getIntact()).as("%s intact", name).isTrue();
        return verification.getHeadHash();
    }

    private Path backupFile;

    private void backUp(MinqingServer server) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.managementPort() + "/actuator/backup"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (TestDatabase.postgres()) {
            assertThat(response.statusCode()).as("the endpoint leaves PostgreSQL to pg_dump").isEqualTo(409);
            assertThat(response.body()).contains("PostgreSQL", "its own tools");
            backupFile = work.resolve("minqing.dump");
            run("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", "-f", backupFile.toString(),
                    TestDatabase.databaseFor(original));
            return;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher file = Pattern.compile("\"file\":\"([^\"]+)\"").matcher(response.body());
        assertThat(file.find()).as(response.body()).isTrue();
        backupFile = Path.of(file.group(1));
        assertThat(backupFile).exists();
        assertThat(backupFile.getParent()).isEqualTo(original.resolve("backups").toAbsolutePath());
    }

    /** Into an empty data directory (H2) or an empty database (PostgreSQL), the server stopped. */
    private void restore() throws Exception {
        if (TestDatabase.postgres()) {
            run("pg_restore", "-h", "127.0.0.1", "-U", "postgres", "-d", TestDatabase.databaseFor(restored),
                    backupFile.toString());
            return;
        }
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backupFile))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path target = restored.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(restored)).as("%s stays in the data directory", entry.getName()).isTrue();
                Files.copy(zip, target);
            }
        }
        assertThat(restored.resolve("minqing.mv.db")).exists();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes());
        }
        assertThat(process.waitFor()).as("%s: %s", command[0], output).isZero();
    }
}
