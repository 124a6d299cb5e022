package org.minqing.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.command.audit.AuditedEvents;
import org.minqing.command.audit.merkle.MerkleHashes;
import org.minqing.command.store.chain.ChainHash;
import org.minqing.command.store.chain.ChainedEvent;

/** The export's fast line reader sees exactly what the protobuf JSON parser sees. */
class ExportLineTest {

    private static final String PREVIOUS = "1e8bea9ec173d0aa8a00871fd0a85a06e4dc47085f14f9d436e992450249dc16";

    @Test
    void readsWhatTheProtobufParserReadsAndSkipsTheRest() throws Exception {
        AuditedEvent event = AuditedEvent.newBuilder().setCaseId("c-1").setSequence(7).setEventId("e-7")
                .setTime(Timestamp.newBuilder().setSeconds(1_767_571_207L).setNanos(123_000_000))
                .setType("minqing.v1.ProgressNoted")
                .setPayload(ByteString.copyFromUtf8("{\"caseId\":\"c-1\",\"note\":\"已核实 \\\"引号\\\"\"}"))
                .putMetadata("actorId", "dev").putMetadata("requestId", "r-7").putMetadata("notCovered", "x")
                .setPreviousHash(PREVIOUS).setHash("ab".repeat(32)).setPosition("j:7").build();
        String json = AuditCli.LINE.print(event).replace("{\"caseId\"", "{\"unknown\":{\"nested\":[1,{\"caseId\":\"x\"}]},\"caseId\"");

        ExportLine line = read(json);

        assertThat(line.error()).isNull();
        ChainedEvent expected = AuditedEvents.chained(event);
        ChainedEvent actual = line.chained();
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
        assertThat(line.ownHash()).isEqualTo(ChainHash.of(PREVIOUS, expected));
        assertThat(line.leaf()).isEqualTo(MerkleHashes.leaf("c-1", 7, ExportLine.chainHash("ab".repeat(32))));
    }

    @Test
    void theProtoFieldNamesAndANumericSequenceAreReadToo() {
        ExportLine line = read("{\"case_id\":\"c-2\",\"sequence\":3,\"event_id\":\"e\",\"previous_hash\":\"" + PREVIOUS + "\"}");
        assertThat(line.chained().caseId()).isEqualTo("c-2");
        assertThat(line.chained().sequence()).isEqualTo(3);
        assertThat(line.chained().previousHash()).isEqualTo(PREVIOUS);
        assertThat(line.chained().hash()).isNull();
        assertThat(line.ownHash()).as("no chain record to hash against").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{\"sequence\":\"two\"}", "{\"time\":\"yesterday\"}",
            "{\"caseId\":5}", "{\"payload\":\"***\"}", "{\"caseId\":\"a\"} {}", "{\"caseId\":\"a\""})
    void anythingElseIsNotAnExportedEvent(String text) {
        ExportLine line = read(text);
        assertThat(line.error()).as(text).isNotNull();
        assertThat(line.chained()).isNull();
    }

    @Test
    void aBlankLineIsNeitherAnEventNorAnError() {
        assertThat(read("  \r").blank()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-05T00:00:07Z", "2026-01-05T00:00:07.1Z", "2026-01-05T00:00:07.123Z",
            "2026-01-05T23:59:59.123456Z", "1970-01-01T00:00:00.000000001Z", "2024-02-29T12:00:00.999999999Z",
            "2026-01-05T08:00:07+08:00", "2026-01-05T00:00:07.123456789012Z"})
    void timesAreReadAsJavaTimeReadsThem(String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (RuntimeException e) {
            expected = null;
        }
        Instant actual;
        try {
            actual = ExportLine.instant(text);
        } catch (RuntimeException e) {
            actual = null;
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }

    private static ExportLine read(String text) {
        byte[] bytes = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        return ExportLine.read(bytes, 2, bytes.length - 4, 1);
    }
}
