package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.util.List;

import com.google.protobuf.util.Timestamps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.*;

/**
 * A case's whole life, driven the way a partner system drives it: over real gRPC sockets against
 * the assembled server on its embedded store, then read back from the read models.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseLifecycleEndToEndTest {

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    /** The 12345 centre, the water bureau the cases go to, and its grid worker zhang-san. */
    static MinqingClient client;
    static MinqingClient waterBureau;
    static MinqingClient gridWorker;

    /**
     * The engine's properties: none for the embedded store (or PostgreSQL). Overridden, not hidden:
     * JUnit runs a superclass's static {@code @BeforeAll} even when a subclass declares its own.
     */
    List<String> engineProperties() {
        return List.of();
    }

    @BeforeAll
    void start() {
        server = MinqingServer.start(dataDir, engineProperties().toArray(String[]::new));
        connect();
    }

    static void connect() {
        client = server.client(MinqingClient.DEV_KEY);
        waterBureau = server.client(MinqingClient.departmentKey("water-bureau"));
        gridWorker = server.client(MinqingClient.GRID_WORKER_KEY);
    }

    static void disconnect() throws InterruptedException {
        client.close();
        waterBureau.close();
        gridWorker.close();
    }

    @AfterAll
    void stop() throws InterruptedException {
        disconnect();
        server.close();
    }

    static ReportCaseRequest report(String partnerReference) {
        return ReportCaseRequest.newBuilder()
                .setRequestId(requestId())
                .setChannel(Channel.CHANNEL_HOTLINE_12345)
                .setPartnerReference(partnerReference)
                .setCitizen(Citizen.newBuilder().setName("王芳").setPhone("13800000000"))
                .setCategory("water")
                .setUrgency(Urgency.URGENCY_NORMAL)
                .setTitle("No water in building 3 since morning")
                .setDescription("Residents of building 3 have had no running water since 7am.")
                .setLocation(Location.newBuilder().setAddress("朝阳区 某街 3号楼").setDistrict("chaoyang")
                        .setGrid("cy-017").setPosition(GeoPoint.newBuilder().setLatitude(39.92).setLongitude(116.44)))
                .addAttachments(Attachment.newBuilder().setUri("https://files.example/photo-1.jpg")
                        .setSha256("a".repeat(64)).setMediaType("image/jpeg"))
                .build();
    }

    @Test
    void aCaseGoesFromReportThroughAReopenToClosedAndItsHistoryReadsInOrder() {
        var c = client.commands;
        var department = waterBureau.commands;
        ReportCaseRequest reportRequest = report("HL-" + requestId());
        CaseChange reported = c.reportCase(reportRequest);
        String name = reported.getCase();
        assertThat(name).startsWith("cases/");
        assertThat(reported.getRevision()).isEqualTo(1);
        assertThat(reported.getEventTypesList()).containsExactly("minqing.v1.CaseReported");

        c.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
        c.dispatchCase(DispatchCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setDepartment("water-bureau").setHandler("zhang-san").build());
        department.acknowledgeCase(AcknowledgeCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
        department.recordCitizenContact(RecordCitizenContactRequest.newBuilder().setName(name).setRequestId(requestId())
                .setMethod(ContactMethod.CONTACT_METHOD_PHONE).setSummary("Called, confirmed the outage").build());
        CaseChange scheduled = department.scheduleVisit(ScheduleVisitRequest.newBuilder().setName(name)
                .setRequestId(requestId()).setScheduledTime(Timestamps.fromMillis(System.currentTimeMillis() + 3_600_000))
                .setPlace("Building 3 pump room").addVisitors("zhang-san").build());
        String visit = scheduled.getVisit();
        assertThat(visit).startsWith(name + "/visits/");
        gridWorker.commands.checkInVisit(CheckInVisitRequest.newBuilder().setName(visit).setRequestId(requestId())
                .setPosition(GeoPoint.newBuilder().setLatitude(39.92).setLongitude(116.44))
                .setVisitor("zhang-san").build());
        gridWorker.commands.completeVisit(CompleteVisitRequest.newBuilder().setName(visit).setRequestId(requestId())
                .setFindings("Pump failure; replaced the pump").build());
        department.resolveCase(ResolveCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setSummary("Pump replaced, water restored").build());
        c.recordFeedback(RecordFeedbackRequest.newBuilder().setName(name).setRequestId(requestId())
                .setSolved(false).setSatisfaction(Satisfaction.SATISFACTION_UNSATISFIED)
                .setComment("Pressure still low").build());
        CaseChange reopened = c.reopenCase(ReopenCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setReason("Citizen reports low pressure").build());
        assertThat(reopened.getEventTypesList()).containsExactly("minqing.v1.CaseReopened");
        department.resolveCase(ResolveCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setSummary("Pressure valve adjusted").build());
        c.recordFeedback(RecordFeedbackRequest.newBuilder().setName(name).setRequestId(requestId())
                .setSolved(true).setSatisfaction(Satisfaction.SATISFACTION_SATISFIED).build());
        CaseChange closed = c.closeCase(CloseCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
        assertThat(closed.getRevision()).isEqualTo(14);

        Case summary = client.awaitRevision(name, closed.getRevision());
        assertThat(summary.getState()).isEqualTo(CaseState.CASE_STATE_CLOSED);
        assertThat(summary.getDepartment()).isEqualTo("water-bureau");
        assertThat(summary.getChannel()).isEqualTo(Channel.CHANNEL_HOTLINE_12345);
        assertThat(summary.getLocation().getDistrict()).isEqualTo("chaoyang");
        assertThat(summary.getLocation().getGrid()).isEqualTo("cy-017");
        assertThat(summary.getReopenCount()).isEqualTo(1);
        assertThat(summary.getSatisfaction()).isEqualTo(Satisfaction.SATISFACTION_SATISFIED);
        assertThat(summary.getSolved()).isTrue();
        assertThat(summary.hasResponseDeadline()).isTrue();
        assertThat(summary.hasResolutionDeadline()).isTrue();
        assertThat(summary.hasCitizen()).as("basic view hides personal data").isFalse();
        assertThat(summary.getLocation().getAddress()).isEmpty();

        Case full = client.queries.getCase(GetCaseRequest.newBuilder().setName(name)
                .setView(CaseView.CASE_VIEW_FULL).build());
        assertThat(full.getCitizen().getName()).isEqualTo("王芳");
        assertThat(full.getLocation().getAddress()).isEqualTo("朝阳区 某街 3号楼");

        List<TimelineEntry> timeline = client.awaitTimeline(name, 14);
        List<String> types = timeline.stream().map(TimelineEntry::getEventType).toList();
        assertThat(types).containsExactly(
                "minqing.v1.CaseReported", "minqing.v1.CaseAccepted", "minqing.v1.CaseDispatched",
                "minqing.v1.CaseAcknowledged", "minqing.v1.CitizenContacted", "minqing.v1.VisitScheduled",
                "minqing.v1.VisitCheckedIn", "minqing.v1.VisitCompleted", "minqing.v1.CaseResolved",
                "minqing.v1.FeedbackRecorded", "minqing.v1.CaseReopened", "minqing.v1.CaseResolved",
                "minqing.v1.FeedbackRecorded", "minqing.v1.CaseClosed");
        TimelineEntry first = timeline.get(0);
        assertThat(first.getSequence()).isZero();
        assertThat(first.getActor().getId()).isEqualTo("dev");
        assertThat(first.getActor().getRole()).isEqualTo("dispatcher");
        assertThat(first.getPartnerSystem()).isEqualTo("dev-console");
        assertThat(first.getRequestId()).isEqualTo(reportRequest.getRequestId());
        assertThat(timeline.get(3).getActor().getId()).as("acknowledged by the department").isEqualTo("dev-water-bureau");
        assertThat(timeline.get(3).getActor().getOrganization()).isEqualTo("water-bureau");
        assertThat(timeline.get(6).getActor().getRole()).as("checked in by the grid worker").isEqualTo("grid_worker");
        assertThat(first.getCorrelationId()).isNotBlank();
        assertThat(timeline)
                .allSatisfy(entry -> assertThat(entry.getSummary()).isNotBlank().doesNotContain("王芳", "13800000000"));

        // The citizen calls again a day later: the closed case is reopened (重办), back to its department.
        CaseChange reopenedAfterClosing = c.reopenCase(ReopenCaseRequest.newBuilder().setName(name)
                .setRequestId(requestId()).setReason("the citizen called again: the pressure dropped").build());
        assertThat(reopenedAfterClosing.getRevision()).isEqualTo(15);
        Case again = client.awaitRevision(name, 15);
        assertThat(again.getState()).isEqualTo(CaseState.CASE_STATE_IN_PROGRESS);
        assertThat(again.getReopenCount()).isEqualTo(2);
        assertThat(again.hasCloseTime()).as("no longer closed").isFalse();
        assertThat(again.getDepartment()).isEqualTo("water-bureau");
    }

    @Test
    void aMergeSaysWhichCaseEachOfItsEventsWentTo() {
        String target = client.commands.reportCase(report("HL-" + requestId())).getCase();
        String duplicate = client.commands.reportCase(report("HL-" + requestId())).getCase();

        CaseChange merged = client.commands.mergeCase(MergeCaseRequest.newBuilder().setName(duplicate)
                .setRequestId(requestId()).setTarget(target).setReason("same burst pipe").build());

        assertThat(merged.getCase()).isEqualTo(duplicate);
        assertThat(merged.getRevision()).as("the merged case's revision").isEqualTo(2);
        assertThat(merged.getRecordedEventsList()).containsExactly(
                RecordedEvent.newBuilder().setCase(duplicate).setEventType("minqing.v1.CaseMerged").setRevision(2).build(),
                RecordedEvent.newBuilder().setCase(target).setEventType("minqing.v1.ReportLinked").setRevision(2).build());
        assertThat(merged.getEventTypesList()).containsExactly("minqing.v1.CaseMerged", "minqing.v1.ReportLinked");
    }

    @Test
    void listsFindTheCaseByItsFiltersWithoutPersonalData() {
        CaseChange reported = client.commands.reportCase(report("HL-" + requestId()).toBuilder()
                .setLocation(Location.newBuilder().setDistrict("haidian").setGrid("hd-001").setAddress("海淀区 某路 1号"))
                .build());
        client.awaitRevision(reported.getCase(), reported.getRevision());
        ListCasesResponse listed = client.queries.listCases(ListCasesRequest.newBuilder()
                .setDistrict("haidian").addStates(CaseState.CASE_STATE_REPORTED).build());
        assertThat(listed.getCasesList()).extracting(Case::getName).contains(reported.getCase());
        assertThat(listed.getCasesList()).allSatisfy(c -> {
            assertThat(c.hasCitizen()).isFalse();
            assertThat(c.getLocation().getAddress()).isEmpty();
            assertThat(c.getLocation().getDistrict()).isEqualTo("haidian");
        });
    }

    @Test
    void aWatchedTimelineStreamsEachNewStepAndEndsWhenTheCaseIsFinished() throws Exception {
        String name = client.commands.reportCase(report("W-" + requestId())).getCase();
        client.awaitRevision(name, 1); // a case is known to the read models shortly after its report
        List<TimelineEntry> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
        client.asyncQueries.watchTimelineEntries(WatchTimelineEntriesRequest.newBuilder().setParent(name).build(),
                new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(TimelineEntry entry) {
                        received.add(entry);
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(null);
                    }
                });
        client.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(name).setRequestId(requestId())
                .setNote("Called the property manager").build());
        assertThat(ended).isNotDone();
        client.commands.rejectCase(RejectCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setReason("Outside the city's responsibility").build());
        ended.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(received).extracting(TimelineEntry::getEventType).containsExactly(
                "minqing.v1.CaseReported", "minqing.v1.ProgressNoteAdded", "minqing.v1.CaseRejected");
        assertThat(received).extracting(TimelineEntry::getSequence).containsExactly(0L, 1L, 2L);
    }

    /** On every engine: writers racing on one case leave one chain, which an auditor can check. */
    @Test
    void concurrentWritersLeaveOneIntactChainThatAnAuditorReplaysVerifiesAndExports() throws Exception {
        String name = client.commands.reportCase(report("HL-" + requestId())).getCase();
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> notes = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String note = "note " + i;
            notes.add(writers.submit(() -> client.commands.addProgressNote(AddProgressNoteRequest.newBuilder()
                    .setName(name).setRequestId(requestId()).setNote(note).build())));
        }
        for (java.util.concurrent.Future<?> note : notes) {
            note.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        writers.shutdown();

        try (MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            var audit = auditor.audit.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS);
            CaseVerification verification = audit.verifyCase(VerifyCaseRequest.newBuilder().setName(name).build());
            assertThat(verification.getIntact()).as(verification.toString()).isTrue();
            assertThat(verification.getEvents()).isEqualTo(13);

            List<AuditedEvent> replay = new java.util.ArrayList<>();
            audit.replayCase(ReplayCaseRequest.newBuilder().setName(name).build()).forEachRemaining(replay::add);
            assertThat(replay).hasSize(13);
            assertThat(replay.get(0).getPreviousHash()).isEqualTo("0".repeat(64));
            for (int i = 1; i < replay.size(); i++) {
                assertThat(replay.get(i).getPreviousHash()).isEqualTo(replay.get(i - 1).getHash());
                assertThat(replay.get(i).getSequence()).isEqualTo(i);
            }
            assertThat(replay.get(12).getHash()).isEqualTo(verification.getHeadHash());
            assertThat(replay.get(1).getMetadataMap()).containsEntry("actorId", "dev").containsKey("requestId");
            assertThat(audit.getCaseStateAsOf(GetCaseStateAsOfRequest.newBuilder().setName(name).setRevision(1).build())
                    .getState().getState()).isEqualTo(CaseState.CASE_STATE_REPORTED);

            // The export resumes after any position this engine hands out.
            List<AuditedEvent> log = new java.util.ArrayList<>();
            audit.exportLog(ExportLogRequest.getDefaultInstance()).forEachRemaining(log::add);
            int middle = log.size() / 2;
            List<AuditedEvent> rest = new java.util.ArrayList<>();
            audit.exportLog(ExportLogRequest.newBuilder().setAfter(log.get(middle).getPosition()).build())
                    .forEachRemaining(rest::add);
            assertThat(rest).startsWith(log.subList(middle + 1, log.size()).toArray(AuditedEvent[]::new));
            String past = log.get(0).getPosition().startsWith("j:") ? "j:999999999" : "k:99999999999:99999999999";
            assertThatThrownBy(() -> audit.exportLog(ExportLogRequest.newBuilder().setAfter(past).build()).next())
                    .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT));
        }
    }
}
