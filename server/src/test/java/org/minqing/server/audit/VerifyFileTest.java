package org.minqing.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.command.audit.AuditedEvents;
import org.minqing.command.store.chain.ChainHash;

/**
 * {@code audit verify-file} over a file read in chunks on several threads: lines keep their
 * numbers across chunk boundaries, blank lines and CRLF endings included, and a line that is not
 * an event stops it with its number.
 */
class VerifyFileTest {

    @TempDir
    Path dir;

    @Test
    void aBreakIsFoundAtItsLineInAFileOfManyChunks() throws Exception {
        List<String> lines = chainedCases(40, 100); // 4,000 events of about 1 KB: four chunks and more
        lines.add(1000, "");
        int altered = 3_500; // 0-based index in the list: line 3,501
        lines.set(altered, lines.get(altered).replace("\"sequence\":\"", "\"sequence\":\"1"));
        Path file = dir.resolve("log.ndjson");
        Files.writeString(file, String.join("\r\n", lines) + "\r\n");
        assertThat(Files.size(file)).isGreaterThan(3L << 20);

        Run run = verify(file);

        assertThat(run.status).as(run.out).isEqualTo(1);
        assertThat(run.out).contains("4,000 events in 40 cases: 39 intact, 1 broken")
                .containsPattern("BROKEN at revision \\d+ \\(sequence \\d+\\): ALTERED, event [^,]+, found at line 3,?501:");
    }

    @Test
    void aLineThatIsNotAnEventStopsItWithTheLineNumber() throws Exception {
        List<String> lines = chainedCases(1, 5);
        lines.set(2, "{\"caseId\":");
        Path file = dir.resolve("damaged.ndjson");
        Files.write(file, lines);

        Run run = verify(file);

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("line 3 is not an exported event");
    }

    private record Run(int status, String out, String err) {
    }

    private static Run verify(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new AuditCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run("verify-file", file.toString());
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Export lines of intact chains, the cases' events interleaved as in a log. */
    private static List<String> chainedCases(int cases, int eventsEach) throws Exception {
        String[] heads = new String[cases];
        java.util.Arrays.fill(heads, ChainHash.GENESIS);
        List<String> lines = new ArrayList<>();
        for (int sequence = 0; sequence < eventsEach; sequence++) {
            for (int c = 0; c < cases; c++) {
                AuditedEvent event = AuditedEvent.newBuilder().setCaseId("case-" + c).setSequence(sequence)
                        .setEventId("e-" + c + "-" + sequence)
                        .setTime(Timestamp.newBuilder().setSeconds(1_767_571_200L + sequence).setNanos(5_000_000))
                        .setType("minqing.v1.ProgressNoted")
                        .setPayload(ByteString.copyFromUtf8("{\"note\":\"" + "核实".repeat(100) + "\"}"))
                        .putMetadata("actorId", "dev").setPreviousHash(heads[c]).build();
                String hash = ChainHash.of(heads[c], AuditedEvents.chained(event));
                heads[c] = hash;
                lines.add(AuditCli.LINE.print(event.toBuilder().setHash(hash).build()));
            }
        }
        return lines;
    }
}
