package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.api.v1.CreateCheckpointRequest;

/**
 * The second implementation agrees with the first: tools/verify (Node.js, written from
 * docs/audit.md alone) and the server's CLI give the same verdict on an export the server made —
 * intact — and on each way of tampering with it, against the same signed checkpoint.
 */
class IndependentVerifierTest {

    @TempDir
    static Path dir;
    private static Path export;
    private static Path checkpoint;

    @BeforeAll
    static void anExportAndACheckpointOfIt() throws Exception {
        try (MinqingServer server = MinqingServer.start(dir.resolve("data"), "minqing.checkpoints.build-interval=200ms");
             MinqingClient centre = server.client(MinqingClient.DEV_KEY);
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            for (int i = 0; i < 4; i++) {
                String name = centre.commands.reportCase(CaseLifecycleEndToEndTest.report("IV-" + requestId())).getCase();
                centre.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
                centre.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(name).setRequestId(requestId())
                        .setNote("第" + i + "次进展").build());
            }
            String note = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> auditor.audit.createCheckpoint(CreateCheckpointRequest.getDefaultInstance()),
                            c -> c.getTreeSize() == 12).getNote();
            checkpoint = dir.resolve("checkpoint.note");
            Files.writeString(checkpoint, note);
            export = dir.resolve("log.ndjson");
            assertThat(java("export", "--target", "127.0.0.1:" + server.port, "--api-key", MinqingClient.AUDITOR_KEY,
                    "--out", export.toString())).isZero();
        }
    }

    @Test
    void bothVerifiersGiveTheSameVerdictOnIntactAndTamperedExports() throws Exception {
        List<String> lines = Files.readAllLines(export);
        assertThat(lines).hasSize(12);
        Map<String, UnaryOperator<List<String>>> tampers = new LinkedHashMap<>();
        tampers.put("intact", l -> l);
        tampers.put("a payload byte changed", l -> replace(l, 4, alterPayload(l.get(4))));
        tampers.put("a middle event deleted", l -> without(l, indexOf(l, caseOf(l.get(0)), 1)));
        tampers.put("a case's latest event deleted", l -> without(l, indexOf(l, caseOf(l.get(0)), 2)));
        tampers.put("two events of a case swapped", l -> swap(l, indexOf(l, caseOf(l.get(0)), 1), indexOf(l, caseOf(l.get(0)), 2)));
        // Each case's history intact, the log's order not: only the checkpoint can tell.
        tampers.put("two cases' histories swapped in the log", l -> {
            List<String> reordered = new ArrayList<>(l.subList(0, 6));
            reordered.addAll(l.subList(9, 12));
            reordered.addAll(l.subList(6, 9));
            return reordered;
        });
        Map<String, List<Integer>> verdicts = new LinkedHashMap<>();
        for (Map.Entry<String, UnaryOperator<List<String>>> tamper : tampers.entrySet()) {
            Path file = dir.resolve(tamper.getKey().replace(' ', '-').replace("'", "") + ".ndjson");
            Files.write(file, tamper.getValue().apply(new ArrayList<>(lines)));
            int java = java("verify-file", file.toString(), "--checkpoint", checkpoint.toString(),
                    "--log-key", CheckpointEndToEndTest.DEV_LOG_KEY);
            int node = node("export", file.toString(), "--checkpoint", checkpoint.toString(),
                    "--log-key", CheckpointEndToEndTest.DEV_LOG_KEY);
            verdicts.put(tamper.getKey(), List.of(java, node));
        }
        assertThat(verdicts.get("intact")).as("the intact export verifies in both").containsExactly(0, 0);
        verdicts.forEach((tamper, both) -> assertThat(both.get(1)).as("%s: Node.js agrees with Java (%s)", tamper, verdicts)
                .isEqualTo(both.get(0)));
        verdicts.entrySet().stream().filter(e -> !e.getKey().equals("intact")).forEach(e ->
                assertThat(e.getValue().get(0)).as("%s is caught", e.getKey()).isEqualTo(1));
    }

    @Test
    void theNodeVerifiersOwnTestsPass() throws Exception {
        Process tests = new ProcessBuilder("node", "--test", "tools/verify/test/")
                .directory(Path.of("..").toFile()).redirectErrorStream(true).start();
        String output = new String(tests.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tests.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(tests.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("# pass [1-9]").contains("# fail 0");
    }

    private static int java(String... args) {
        return AuditCliRun.cli(args).status();
    }

    private static int node(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "tools/verify/verify.mjs"));
        command.addAll(List.of(args));
        Process verifier = new ProcessBuilder(command).directory(Path.of("..").toFile()).redirectErrorStream(true).start();
        verifier.getInputStream().readAllBytes();
        assertThat(verifier.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return verifier.exitValue();
    }

    private static final Pattern CASE = Pattern.compile("\"caseId\":\"([^\"]+)\"");
    private static final Pattern SEQUENCE = Pattern.compile("\"sequence\":\"(\\d+)\"");
    private static final Pattern PAYLOAD = Pattern.compile("\"payload\":\"([^\"]+)\"");

    private static String caseOf(String line) {
        Matcher m = CASE.matcher(line);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static long sequenceOf(String line) {
        Matcher m = SEQUENCE.matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0; // proto3 JSON leaves out sequence 0
    }

    private static int indexOf(List<String> lines, String caseId, long sequence) {
        for (int i = 0; i < lines.size(); i++) {
            if (caseOf(lines.get(i)).equals(caseId) && sequenceOf(lines.get(i)) == sequence) {
                return i;
            }
        }
        throw new AssertionError("no event " + sequence + " of " + caseId);
    }

    private static String alterPayload(String line) {
        Matcher m = PAYLOAD.matcher(line);
        assertThat(m.find()).isTrue();
        byte[] payload = Base64.getDecoder().decode(m.group(1));
        payload[payload.length / 2] ^= 0x01;
        return line.substring(0, m.start(1)) + Base64.getEncoder().encodeToString(payload) + line.substring(m.end(1));
    }

    private static List<String> replace(List<String> lines, int at, String line) {
        lines.set(at, line);
        return lines;
    }

    private static List<String> without(List<String> lines, int at) {
        lines.remove(at);
        return lines;
    }

    private static List<String> swap(List<String> lines, int a, int b) {
        String first = lines.get(a);
        lines.set(a, lines.get(b));
        lines.set(b, first);
        return lines;
    }
}
