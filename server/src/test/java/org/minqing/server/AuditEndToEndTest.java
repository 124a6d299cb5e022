package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.server.AuditCliRun.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AuditServiceGrpc;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.EventMetadata;
import org.minqing.api.v1.EventsProto;
import org.minqing.api.v1.ExportLogRequest;
import org.minqing.api.v1.ReplayCaseRequest;
import org.minqing.api.v1.VerifyCaseRequest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit service and the auditor's CLI against a running server over real sockets: a store of
 * 100,000 chained events (appended through the server's own engine) is exported to NDJSON and
 * verified offline; resuming, tampering and bad input behave as documented. The verification rate
 * printed here is the one recorded in docs/benchmarks.md.
 */
class AuditEndToEndTest {

    static final String AUDITOR_KEY = MinqingClient.AUDITOR_KEY;
    private static final int CASES = 1_000;
    private static final int EVENTS_PER_CASE = 100;

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static MinqingClient auditor;
    static AuditServiceGrpc.AuditServiceBlockingStub audit;

    @BeforeAll
    static void startWithALargeLog() {
        server = MinqingServer.start(dataDir, "minqing.roles.projections=false", "minqing.roles.command=false");
        EventStorageEngine engine = server.context.getBean(EventStorageEngine.class);
        long started = System.nanoTime();
        for (int c = 0; c < CASES; c++) {
            String caseId = UUID.randomUUID().toString();
            List<DomainEventMessage<?>> events = new ArrayList<>(EVENTS_PER_CASE);
            events.add(new GenericDomainEventMessage<>("Case", caseId, 0, CaseReported.newBuilder().setCaseId(caseId)
                    .setTitle("pothole " + c).build(), metadata()));
            for (int s = 1; s < EVENTS_PER_CASE; s++) {
                events.add(new GenericDomainEventMessage<>("Case", caseId, s,
                        CaseAccepted.newBuilder().setCaseId(caseId).setNote("step " + s).build(), metadata()));
            }
            engine.appendEvents(events);
        }
        System.out.printf("appended %,d events in %.1f s%n", CASES * EVENTS_PER_CASE, (System.nanoTime() - started) / 1e9);
        auditor = server.client(AUDITOR_KEY);
        audit = auditor.audit;
    }

    private static Map<String, String> metadata() {
        return Map.of(EventMetadata.ACTOR_ID, "loader", EventMetadata.ACTOR_ROLE, "dispatcher",
                EventMetadata.CORRELATION_ID, UUID.randomUUID().toString());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        auditor.close();
        server.close();
    }

    @Test
    void aHundredThousandEventsExportAndVerifyOfflineThenTamperingIsFound() throws Exception {
        Path export = dataDir.resolve("log.ndjson");
        assertThat(cli("export", "--target", target(), "--api-key", AUDITOR_KEY, "--out", export.toString()).status()).isZero();
        assertThat(Files.lines(export)).hasSize(CASES * EVENTS_PER_CASE);

        AuditCliRun offline = cli("verify-file", export.toString());
        System.out.println("offline verification: " + offline.out().strip());
        assertThat(offline.status()).as(offline.out()).isZero();
        assertThat(offline.out()).contains("100,000 events in 1,000 cases: 1,000 intact, 0 broken");

        // Resume: cut the file in half and let the CLI continue after the last line it has.
        List<String> lines = Files.readAllLines(export);
        Path resumed = dataDir.resolve("resumed.ndjson");
        Files.write(resumed, lines.subList(0, lines.size() / 2));
        assertThat(cli("export", "--target", target(), "--api-key", AUDITOR_KEY, "--out", resumed.toString(),
                "--resume").status()).isZero();
        assertThat(Files.readAllLines(resumed)).isEqualTo(lines);

        // Tamper with one stored event in SQL: the server-side and the client-side checks both find it.
        AuditedEvent.Builder parsed = AuditedEvent.newBuilder();
        JsonFormat.parser().usingTypeRegistry(TypeRegistry.newBuilder()
                .add(EventsProto.getDescriptor().getMessageTypes()).build()).merge(lines.get(12_345), parsed);
        new JdbcTemplate(server.context.getBean(javax.sql.DataSource.class)).update(
                "UPDATE domain_event_entry SET payload = ? WHERE event_identifier = ?",
                "{\"note\":\"nothing happened\"}".getBytes(StandardCharsets.UTF_8), parsed.getEventId());
        AuditCliRun all = cli("verify", "--all", "--target", target(), "--api-key", AUDITOR_KEY);
        assertThat(all.status()).isEqualTo(1);
        assertThat(all.out()).contains("cases/" + parsed.getCaseId() + ": BROKEN at revision " + (parsed.getSequence() + 1)
                        + " (sequence " + parsed.getSequence() + "): ALTERED",
                "1,000 cases: 999 intact, 1 broken");
        AuditCliRun one = cli("verify", "--case", parsed.getCaseId(), "--target", target(), "--api-key", AUDITOR_KEY);
        assertThat(one.status()).isEqualTo(1);
        assertThat(one.out()).contains("BROKEN at revision " + (parsed.getSequence() + 1) + " (sequence "
                + parsed.getSequence() + "): ALTERED", "of 100 events verified");
    }

    @Test
    void replayAndErrorsOverTheWire() {
        AuditedEvent first = audit.exportLog(ExportLogRequest.getDefaultInstance()).next();
        Iterator<AuditedEvent> replay = audit.replayCase(ReplayCaseRequest.newBuilder().setName("cases/" + first.getCaseId()).build());
        List<AuditedEvent> events = new ArrayList<>();
        replay.forEachRemaining(events::add);
        assertThat(events).hasSize(EVENTS_PER_CASE);
        assertThat(events.get(0).getEvent().is(CaseReported.class)).isTrue();
        assertThat(events.get(1).getPreviousHash()).isEqualTo(events.get(0).getHash());
        assertThat(events.get(1).getMetadataMap()).containsEntry(EventMetadata.ACTOR_ID, "loader");

        assertThat(status(() -> audit.replayCase(ReplayCaseRequest.newBuilder().setName("cases/nobody").build()).next()))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status(() -> audit.verifyCase(VerifyCaseRequest.newBuilder().setName("cases/nobody").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status(() -> audit.exportLog(ExportLogRequest.newBuilder().setAfter("j:999999999").build()).next()))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status(() -> audit.exportLog(ExportLogRequest.newBuilder().setAfter("garbage").build()).next()))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        try (MinqingClient dispatcher = server.client(MinqingClient.DEV_KEY)) {
            assertThat(status(() -> dispatcher.audit.exportLog(ExportLogRequest.getDefaultInstance()).next()))
                    .isEqualTo(Status.Code.PERMISSION_DENIED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Status.Code status(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(StatusRuntimeException.class);
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static String target() {
        return "127.0.0.1:" + server.port;
    }


}
