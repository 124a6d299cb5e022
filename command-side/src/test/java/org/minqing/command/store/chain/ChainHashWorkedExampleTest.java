package org.minqing.command.store.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The chain's worked example in docs/audit.md is what the code computes (tools/verify checks it too). */
class ChainHashWorkedExampleTest {

    private static final String CASE = "5b0f1f6e-2c1a-3d4e-9f00-000000000001";
    private static final byte[] PAYLOAD = ("{\"caseId\":\"" + CASE + "\",\"note\":\"市民来电催办\"}").getBytes(StandardCharsets.UTF_8);
    private static final TreeMap<String, String> METADATA = new TreeMap<>(Map.of("actorId", "dev", "actorRole", "dispatcher",
            "correlationId", "c-0001", "requestId", "r-0001"));

    @Test
    void theDocumentedEventsHashAsDocumented() {
        assertThat(PAYLOAD).hasSize(77);
        String first = ChainHash.of(ChainHash.GENESIS, event(0, "e0000000-0000-4000-8000-000000000001",
                "2026-12-01T08:00:00.123Z", ChainHash.GENESIS));
        assertThat(first).isEqualTo("0531b395e5c894f4a684f82104a833ef227b430e492139cca8d4100a5ff19237");
        assertThat(ChainHash.of(first, event(1, "e0000000-0000-4000-8000-000000000002", "2026-12-01T08:05:00Z", first)))
                .isEqualTo("8854a88bf9466793291a3275bd23ac68a5a1d9d4c52120f201bee80fb2e778dd");
    }

    private static ChainedEvent event(long sequence, String id, String time, String previous) {
        return new ChainedEvent(CASE, sequence, id, Instant.parse(time), "minqing.v1.ProgressNoteAdded", PAYLOAD, METADATA,
                previous, null);
    }
}
