package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.*;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * With snapshots every 5 events, a long case is loaded from its latest snapshot plus the events
 * after it, and its rules still see everything that happened before the snapshot.
 */
class SnapshotEndToEndTest {

    @TempDir
    Path dataDir;

    /** The server on the engine under test, taking a snapshot every 5 events. */
    protected MinqingServer startServer() {
        return MinqingServer.start(dataDir, "minqing.snapshots.event-count=5");
    }

    /** How many snapshots of the case the engine holds. */
    protected long snapshots(MinqingServer server, String caseId) throws Exception {
        return server.context.getBean(JdbcTemplate.class).queryForObject(
                "SELECT COUNT(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?", Long.class, caseId);
    }

    @Test
    void aCaseLoadedFromItsSnapshotKeepsItsWholeState() throws Exception {
        String name;
        try (MinqingServer server = startServer(); MinqingClient client = server.client(MinqingClient.DEV_KEY);
             MinqingClient waterBureau = server.client(MinqingClient.departmentKey("water-bureau"))) {
            var c = client.commands;
            var d = waterBureau.commands;
            name = c.reportCase(CaseLifecycleEndToEndTest.report("SN-" + requestId())).getCase();
            c.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
            c.dispatchCase(DispatchCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                    .setDepartment("water-bureau").build());
            d.recordCitizenContact(RecordCitizenContactRequest.newBuilder().setName(name).setRequestId(requestId())
                    .setMethod(ContactMethod.CONTACT_METHOD_PHONE).build());
            d.acknowledgeCase(AcknowledgeCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
            d.scheduleVisit(ScheduleVisitRequest.newBuilder().setName(name).setRequestId(requestId()).setVisitId("v1")
                    .setScheduledTime(com.google.protobuf.util.Timestamps.fromMillis(System.currentTimeMillis()))
                    .setPlace("site").addVisitors("zhang-san").build());
            for (int i = 0; i < 12; i++) {
                c.addProgressNote(AddProgressNoteRequest.newBuilder().setName(name).setRequestId(requestId())
                        .setNote("note " + i).build());
            }
            assertThat(snapshots(server, name.substring("cases/".length()))).as("snapshots taken").isPositive();
        }
        // A fresh process has nothing cached: the case comes from the snapshot and the events after it.
        try (MinqingServer server = startServer(); MinqingClient client = server.client(MinqingClient.DEV_KEY);
             MinqingClient waterBureau = server.client(MinqingClient.departmentKey("water-bureau"))) {
            var d = waterBureau.commands;
            // The open visit from before the snapshot still blocks resolving ...
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.grpc.StatusRuntimeException.class,
                    () -> d.resolveCase(ResolveCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                            .setSummary("done").build())).getStatus().getDescription()).contains("v1");
            d.cancelVisit(CancelVisitRequest.newBuilder().setName(name + "/visits/v1").setRequestId(requestId())
                    .setReason("not needed").build());
            // ... and the contact from before the snapshot lets it resolve now.
            CaseChange resolved = d.resolveCase(ResolveCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                    .setSummary("done").build());
            assertThat(resolved.getRevision()).isEqualTo(20);
            assertThat(client.awaitRevision(name, 20).getState()).isEqualTo(CaseState.CASE_STATE_RESOLVED);
        }
    }
}
