package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.command.handling.RequestRetention;

/**
 * A partner's retry is answered from the request record while the record is kept, and runs as a
 * new request once {@code minqing.requests.retention} has passed and the record is forgotten.
 */
class RequestRetentionEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void aRetryAfterTheRetentionIsANewRequest() throws Exception {
        SupervisionEndToEndTest.TestClock clock = new SupervisionEndToEndTest.TestClock();
        try (MinqingServer server = MinqingServer.start(dataDir, clock, "minqing.requests.retention=7d");
             MinqingClient centre = server.client(MinqingClient.DEV_KEY)) {
            String name = centre.commands.reportCase(CaseLifecycleEndToEndTest.report("RET-1")).getCase();
            AddProgressNoteRequest note = AddProgressNoteRequest.newBuilder().setName(name).setRequestId(requestId())
                    .setNote("市民来电催问进度").build();
            RequestRetention retention = server.context.getBean(RequestRetention.class);

            long noted = centre.commands.addProgressNote(note).getRevision();
            clock.now = clock.now.plus(Duration.ofDays(6));
            assertThat(retention.expire()).as("records younger than the retention are kept").isZero();
            assertThat(centre.commands.addProgressNote(note).getRevision()).as("a retry within the retention")
                    .isEqualTo(noted);

            clock.now = clock.now.plus(Duration.ofDays(2));
            assertThat(retention.expire()).as("the report's and the note's records").isEqualTo(2);
            assertThat(centre.commands.addProgressNote(note).getRevision()).as("the same request, now new")
                    .isEqualTo(noted + 1);
            assertThat(server.context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .get("minqing.request-ledger.expired").counter().count()).isEqualTo(2.0);
        }
    }
}
