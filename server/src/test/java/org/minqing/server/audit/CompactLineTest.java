package org.minqing.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.CaseReported;
import org.minqing.command.audit.AuditedEvents;
import org.minqing.command.store.chain.ChainedEvent;

/**
 * The compact reader reads the export's own lines as Jackson's path does, and declines every
 * line it might read otherwise: whatever it accepts, Jackson reads to the same event.
 */
class CompactLineTest {

    private static final String REPORTED_JSON = """
            {"caseId":"285ec3f4-33e1-8010-fca3-8d994c24f27f","channel":"CHANNEL_HOTLINE_12345","partnerReference":"BULK-0",
             "citizen":{"name":"王芳","phone":"13800000000"},"category":"heating","urgency":"URGENCY_NORMAL",
             "title":"No water in \\"building\\" 0 since morning\\n","location":{"address":"某街 0号楼",
             "position":{"latitude":39.9,"longitude":-1.16e2},"district":"huairou","grid":"huairou-033"},
             "reportTime":"2026-01-05T00:00:00Z"}""";

    @Test
    void readsTheExportsOwnLinesAsTheProtobufParserDoes() throws Exception {
        AuditedEvent event = reported();
        byte[] line = AuditCli.LINE.print(event).getBytes(StandardCharsets.UTF_8);

        ChainedEvent read = CompactLine.read(line, 0, line.length);

        assertThat(read).as("the export's own form is read without Jackson").isNotNull();
        assertThat(read).usingRecursiveComparison().isEqualTo(AuditedEvents.chained(event));
        assertThat(read.metadata()).containsOnlyKeys("actorId", "actorOrganization", "requestId");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{ \"caseId\":\"c\"}", // whitespace between tokens
            "{\"caseId\":\"c\\u0031\"}", // an escape in a field the chain covers
            "{\"case\\u0049d\":\"c\"}", // an escape in a name
            "{\"caseId\":null}",
            "{\"sequence\":3}", // a number where the export writes a string
            "{\"metadata\":{\"actorId\":\"a\\\"b\"}}",
            "{\"payload\":\"QQ\"}", // base64 without its padding
            "{\"event\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", // deeper than it follows
            "{\"caseId\":\"\u00e9\"}", // other than ASCII in a field it reads as ASCII
            "{\"caseId\":\"c\"}x"})
    void declinesWhatItDoesNotReadAndJacksonReadsItInstead(String text) {
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        assertThat(CompactLine.read(line, 0, line.length)).as(text).isNull();
    }

    @Test
    void declinesAStringOfMalformedUtf8EvenInTheCopyNothingVerifies() {
        for (byte[] malformed : new byte[][] {{(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xe4, (byte) 0xb8}, {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}}) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.writeBytes("{\"event\":{\"note\":\"".getBytes(StandardCharsets.UTF_8));
            line.writeBytes(malformed);
            line.writeBytes("\"},\"caseId\":\"c\"}".getBytes(StandardCharsets.UTF_8));
            byte[] bytes = line.toByteArray();
            assertThat(CompactLine.read(bytes, 0, bytes.length)).isNull();
        }
        byte[] wellFormed = "{\"event\":{\"note\":\"已核实 \uD83D\uDE00\"},\"caseId\":\"c\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(CompactLine.read(wellFormed, 0, wellFormed.length)).isNotNull();
    }

    /**
     * Lines of the export changed a byte at a time, the bytes JSON, UTF-8 and base64 turn on: each
     * one the compact reader accepts, Jackson's path reads the same; each one it declines is left
     * to Jackson. Both outcomes must occur often, or the comparison says nothing.
     */
    @Test
    void whatItAcceptsOfMutatedLinesJacksonReadsTheSame() throws Exception {
        byte[] original = AuditCli.LINE.print(reported()).getBytes(StandardCharsets.UTF_8);
        byte[] alphabet = "\"\\{}[],: 09-.eEnutrf+=A/x".getBytes(StandardCharsets.US_ASCII);
        byte[] high = {0x01, 0x1f, 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc3, (byte) 0xe4, (byte) 0xed, (byte) 0xf4, (byte) 0xff};
        SplittableRandom random = new SplittableRandom(14);
        int accepted = 0;
        int declined = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] line = original.clone();
            for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
                byte b = random.nextInt(4) == 0 ? high[random.nextInt(high.length)] : alphabet[random.nextInt(alphabet.length)];
                line = mutate(line, random.nextInt(line.length), b, random.nextInt(3));
            }
            ChainedEvent compact = CompactLine.read(line, 0, line.length);
            if (compact == null) {
                declined++;
                continue;
            }
            accepted++;
            ChainedEvent jackson;
            try {
                jackson = ExportLine.withJackson(line, 0, line.length);
            } catch (RuntimeException e) {
                fail("accepted what Jackson's path rejects (%s): %s", e.getMessage(), new String(line, StandardCharsets.UTF_8));
                return;
            }
            assertThat(compact).as(new String(line, StandardCharsets.UTF_8)).usingRecursiveComparison().isEqualTo(jackson);
        }
        assertThat(accepted).isGreaterThan(3_000);
        assertThat(declined).isGreaterThan(3_000);
    }

    private static byte[] mutate(byte[] line, int at, byte b, int how) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(line, 0, at);
        if (how == 0) { // replace
            out.write(b);
            out.write(line, at + 1, line.length - at - 1);
        } else if (how == 1) { // insert
            out.write(b);
            out.write(line, at, line.length - at);
        } else { // delete
            out.write(line, at + 1, line.length - at - 1);
        }
        return out.toByteArray();
    }

    private static AuditedEvent reported() throws Exception {
        CaseReported.Builder reported = CaseReported.newBuilder();
        JsonFormat.parser().merge(REPORTED_JSON, reported);
        return AuditedEvent.newBuilder().setCaseId("285ec3f4-33e1-8010-fca3-8d994c24f27f").setSequence(0)
                .setEventId("82ffd03d-11c9-3cc3-9cef-a98290c0b754")
                .setTime(Timestamp.newBuilder().setSeconds(1_767_571_200L).setNanos(7_000_000))
                .setType("minqing.v1.CaseReported").setEvent(Any.pack(reported.build()))
                .setPayload(ByteString.copyFromUtf8(JsonFormat.printer().omittingInsignificantWhitespace().print(reported)))
                .putMetadata("actorId", "dev").putMetadata("actorOrganization", "东城区 12345")
                .putMetadata("notCovered", "x\"y").putMetadata("requestId", "r-1")
                .setPreviousHash("0".repeat(64)).setHash("8ff90b3103650141fc9aefc72f0036d426c3fded2751c241deb2f0e761ca27b9")
                .setPosition("j:1").build();
    }
}
