package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.*;
import org.springframework.jdbc.core.JdbcTemplate;

/** Bad input, wrong states, retries and races over real sockets: clear statuses, nothing appended. */
class CommandApiErrorsEndToEndTest {

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static MinqingClient client;
    static MinqingClient waterBureau;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir);
        client = server.client(MinqingClient.DEV_KEY);
        waterBureau = server.client(MinqingClient.departmentKey("water-bureau"));
        jdbc = server.context.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        waterBureau.close();
        server.close();
    }

    static long storedEvents() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
    }

    static CaseChange newCase() {
        return client.commands.reportCase(CaseLifecycleEndToEndTest.report("E-" + requestId()));
    }

    static StatusRuntimeException refusal(Runnable call) {
        long before = storedEvents();
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertThat(storedEvents()).as("a refused call appends nothing").isEqualTo(before);
            return e;
        }
        throw new AssertionError("the call was not refused");
    }

    static List<String> violatedFields(StatusRuntimeException e) throws Exception {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        for (var detail : status.getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                return detail.unpack(BadRequest.class).getFieldViolationsList().stream()
                        .map(BadRequest.FieldViolation::getField).toList();
            }
        }
        throw new AssertionError("no BadRequest detail in " + status);
    }

    @Test
    void callsWithoutAValidApiKeyAreUnauthenticated() throws InterruptedException {
        try (MinqingClient anonymous = server.client(null); MinqingClient stranger = server.client("not-a-key")) {
            for (MinqingClient c : List.of(anonymous, stranger)) {
                assertThatThrownBy(() -> c.commands.reportCase(CaseLifecycleEndToEndTest.report("X")))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
                assertThatThrownBy(() -> c.queries.listCases(ListCasesRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            }
        }
    }

    @Test
    void anInvalidCorrelationIdIsRefusedAndTheIdUsedIsEchoed() throws Exception {
        Metadata.Key<String> header = Metadata.Key.of("x-correlation-id", Metadata.ASCII_STRING_MARSHALLER);
        for (String bad : List.of("has spaces", "x".repeat(129))) {
            Metadata headers = new Metadata();
            headers.put(header, bad);
            StatusRuntimeException e = refusal(() -> client.commands
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .reportCase(CaseLifecycleEndToEndTest.report("CORR-" + requestId())));
            assertThat(e.getStatus().getCode()).as(bad).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(violatedFields(e)).containsExactly("x-correlation-id");
        }

        for (String given : new String[] {"partner-7:call.42", null}) {
            Metadata headers = new Metadata();
            if (given != null) {
                headers.put(header, given);
            }
            AtomicReference<Metadata> answered = new AtomicReference<>();
            String name = client.commands.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers),
                            MetadataUtils.newCaptureMetadataInterceptor(answered, new AtomicReference<>()))
                    .reportCase(CaseLifecycleEndToEndTest.report("CORR-" + requestId())).getCase();
            String used = answered.get().get(header);
            assertThat(used).as("the id used, echoed").isNotBlank();
            if (given != null) {
                assertThat(used).isEqualTo(given);
            }
            assertThat(client.awaitTimeline(name, 1).get(0).getCorrelationId()).as("recorded on the event").isEqualTo(used);
        }
    }

    @Test
    void anEmptyReportNamesEveryMissingField() throws Exception {
        StatusRuntimeException e = refusal(() -> client.commands.reportCase(ReportCaseRequest.getDefaultInstance()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(violatedFields(e)).contains("request_id", "channel", "citizen", "category", "urgency", "title",
                "location.district");
    }

    @Test
    void oversizedStringsListsAndMalformedValuesAreRefused() throws Exception {
        ReportCaseRequest.Builder tooBig = CaseLifecycleEndToEndTest.report("big").toBuilder()
                .setTitle("x".repeat(201))
                .setDescription("y".repeat(5001));
        for (int i = 0; i < 21; i++) {
            tooBig.addAttachments(Attachment.newBuilder().setUri("https://f.example/" + i).setSha256("b".repeat(64)));
        }
        tooBig.setLocation(tooBig.getLocation().toBuilder()
                .setPosition(GeoPoint.newBuilder().setLatitude(91).setLongitude(0)));
        StatusRuntimeException e = refusal(() -> client.commands.reportCase(tooBig.build()));
        assertThat(violatedFields(e)).contains("title", "description", "attachments", "location.position.latitude");

        StatusRuntimeException badHash = refusal(() -> client.commands.reportCase(
                CaseLifecycleEndToEndTest.report("hash").toBuilder()
                        .setAttachments(0, Attachment.newBuilder().setUri("relative/path").setSha256("XYZ")).build()));
        assertThat(violatedFields(badHash)).contains("attachments[0].uri", "attachments[0].sha256");

        StatusRuntimeException badName = refusal(() -> client.commands.acceptCase(
                AcceptCaseRequest.newBuilder().setName("case/1").setRequestId(requestId()).build()));
        assertThat(violatedFields(badName)).containsExactly("name");
    }

    @Test
    void anUnknownCaseOrVisitIsNotFound() {
        StatusRuntimeException unknownCase = refusal(() -> client.commands.acceptCase(
                AcceptCaseRequest.newBuilder().setName("cases/does-not-exist").setRequestId(requestId()).build()));
        assertThat(unknownCase.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(unknownCase.getStatus().getDescription()).contains("cases/does-not-exist");

        String name = newCase().getCase();
        client.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
        client.commands.dispatchCase(org.minqing.api.v1.DispatchCaseRequest.newBuilder().setName(name)
                .setRequestId(requestId()).setDepartment("water-bureau").build());
        StatusRuntimeException unknownVisit = refusal(() -> waterBureau.commands.cancelVisit(CancelVisitRequest.newBuilder()
                .setName(name + "/visits/nope").setRequestId(requestId()).setReason("r").build()));
        assertThat(unknownVisit.getStatus().getCode()).isIn(Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void aContactDatedBeforeTheDispatchIsRefusedOnItsField() throws Exception {
        String name = newCase().getCase();
        client.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
        client.commands.dispatchCase(org.minqing.api.v1.DispatchCaseRequest.newBuilder().setName(name)
                .setRequestId(requestId()).setDepartment("water-bureau").build());

        StatusRuntimeException e = refusal(() -> waterBureau.commands.recordCitizenContact(
                org.minqing.api.v1.RecordCitizenContactRequest.newBuilder().setName(name).setRequestId(requestId())
                        .setMethod(org.minqing.api.v1.ContactMethod.CONTACT_METHOD_PHONE)
                        .setContactTime(com.google.protobuf.util.Timestamps.fromSeconds(1_700_000_000L)).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(violatedFields(e)).containsExactly("contact_time");
    }

    @Test
    void aSecondReportUnderOneReferenceIsRefusedAndARetryIsNot() {
        String reference = "HL-" + requestId();
        String name = client.commands.reportCase(CaseLifecycleEndToEndTest.report(reference)).getCase();

        CaseChange retried = client.commands.reportCase(CaseLifecycleEndToEndTest.report(reference));
        assertThat(retried.getCase()).isEqualTo(name);
        assertThat(retried.getEventTypesList()).isEmpty();

        StatusRuntimeException e = refusal(() -> client.commands.reportCase(CaseLifecycleEndToEndTest.report(reference)
                .toBuilder().setTitle("Another problem altogether").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(e.getStatus().getDescription()).contains(name, "different content");
    }

    private static final org.minqing.api.v1.GeoPoint PUMP_ROOM =
            org.minqing.api.v1.GeoPoint.newBuilder().setLatitude(39.92).setLongitude(116.44).build();

    @Test
    void aVisitBeyondTheHorizonOrCheckedInByAnotherThanItsVisitorsIsRefused() throws Exception {
        String name = newCase().getCase();
        client.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
        client.commands.dispatchCase(org.minqing.api.v1.DispatchCaseRequest.newBuilder().setName(name)
                .setRequestId(requestId()).setDepartment("water-bureau").build());
        waterBureau.commands.acknowledgeCase(org.minqing.api.v1.AcknowledgeCaseRequest.newBuilder().setName(name)
                .setRequestId(requestId()).build());
        org.minqing.api.v1.ScheduleVisitRequest.Builder visit = org.minqing.api.v1.ScheduleVisitRequest.newBuilder()
                .setName(name).setPlace("pump room").addVisitors("zhang-san");

        StatusRuntimeException far = refusal(() -> waterBureau.commands.scheduleVisit(visit.setRequestId(requestId())
                .setScheduledTime(com.google.protobuf.util.Timestamps.parseUnchecked("9999-12-31T00:00:00Z")).build()));
        assertThat(far.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(violatedFields(far)).containsExactly("scheduled_time");

        String scheduled = waterBureau.commands.scheduleVisit(visit.setRequestId(requestId())
                .setScheduledTime(com.google.protobuf.util.Timestamps.fromMillis(System.currentTimeMillis() - 3_600_000))
                .build()).getVisit();
        StatusRuntimeException stranger = refusal(() -> waterBureau.commands.checkInVisit(
                org.minqing.api.v1.CheckInVisitRequest.newBuilder().setName(scheduled).setRequestId(requestId())
                        .setPosition(PUMP_ROOM).setVisitor("li-si").build()));
        assertThat(stranger.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(stranger.getStatus().getDescription()).contains("is for zhang-san, not li-si");
        assertThat(waterBureau.commands.checkInVisit(org.minqing.api.v1.CheckInVisitRequest.newBuilder().setName(scheduled)
                .setRequestId(requestId()).setPosition(PUMP_ROOM).setVisitor("zhang-san").build()).getEventTypesList())
                .containsExactly("minqing.v1.VisitCheckedIn");
    }

    @Test
    void aStepThatDoesNotFitTheStateNamesTheStateAndTheAllowedActions() throws Exception {
        String name = newCase().getCase();
        StatusRuntimeException e = refusal(() -> client.commands.closeCase(org.minqing.api.v1.CloseCaseRequest.newBuilder()
                .setName(name).setRequestId(requestId()).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription()).contains("REPORTED", "CLOSE", "ACCEPT");
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        ErrorInfo info = null;
        PreconditionFailure failure = null;
        for (var detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                info = detail.unpack(ErrorInfo.class);
            } else if (detail.is(PreconditionFailure.class)) {
                failure = detail.unpack(PreconditionFailure.class);
            }
        }
        assertThat(info).isNotNull();
        assertThat(info.getMetadataMap()).containsEntry("state", "CASE_STATE_REPORTED")
                .containsEntry("action", "CLOSE");
        assertThat(info.getMetadataMap().get("allowed_actions").split(",")).contains("ACCEPT", "REJECT", "MERGE");
        assertThat(failure).isNotNull();
        assertThat(failure.getViolations(0).getSubject()).isEqualTo(name);
    }

    @Test
    void aRetriedRequestReturnsTheFirstOutcomeAndAppendsNothing() throws Exception {
        String name = newCase().getCase();
        AcceptCaseRequest accept = AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setNote("ok").build();
        CaseChange first = client.commands.acceptCase(accept);
        long after = storedEvents();
        CaseChange retried = client.commands.acceptCase(accept);
        assertThat(retried).isEqualTo(first);
        assertThat(storedEvents()).isEqualTo(after);

        StatusRuntimeException reused = refusal(() -> client.commands.acceptCase(
                accept.toBuilder().setNote("a different request").build()));
        assertThat(reused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(violatedFields(reused)).containsExactly("request_id");
    }

    @Test
    void aReportRepeatedByItsPartnerReferenceReturnsTheSameCase() {
        ReportCaseRequest original = CaseLifecycleEndToEndTest.report("WX-" + requestId());
        CaseChange first = client.commands.reportCase(original);
        long after = storedEvents();
        CaseChange again = client.commands.reportCase(original.toBuilder().setRequestId(requestId()).build());
        assertThat(again.getCase()).isEqualTo(first.getCase());
        assertThat(again.getEventTypesList()).isEmpty();
        assertThat(again.getRevision()).isEqualTo(1);
        assertThat(storedEvents()).isEqualTo(after);
    }

    @Test
    void simultaneousReportsOfOnePartnerReferenceMakeOneCase() throws Exception {
        ReportCaseRequest report = CaseLifecycleEndToEndTest.report("DUP-" + requestId());
        int partners = 8;
        ExecutorService pool = Executors.newFixedThreadPool(partners);
        try {
            List<Future<CaseChange>> answers = new ArrayList<>();
            for (int p = 0; p < partners; p++) {
                // each with its own request id, as separate partner retries would be
                ReportCaseRequest attempt = report.toBuilder().setRequestId(requestId()).build();
                answers.add(pool.submit(() -> client.commands.reportCase(attempt)));
            }
            List<String> cases = new ArrayList<>();
            for (Future<CaseChange> answer : answers) {
                cases.add(answer.get().getCase());
            }
            assertThat(cases).containsOnly(cases.get(0));
            Long events = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                    Long.class, cases.get(0).substring("cases/".length()));
            assertThat(events).isEqualTo(1L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCommandsOnOneCaseLoseNoUpdate() throws Exception {
        String name = newCase().getCase();
        int writers = 8;
        int notesEach = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < notesEach; n++) {
                        client.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(name)
                                .setRequestId(requestId()).setNote("writer " + writer + " note " + n).build());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String caseId = name.substring("cases/".length());
        Long events = jdbc.queryForObject(
                "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class, caseId);
        assertThat(events).isEqualTo(1L + writers * notesEach);
        client.awaitRevision(name, 1L + writers * notesEach);
    }

    @Test
    void healthAndReflectionAnswerWithoutAKey() throws Exception {
        try (MinqingClient anonymous = server.client(null)) {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(anonymous.channel)
                    .check(HealthCheckRequest.getDefaultInstance());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

            List<String> services = new ArrayList<>();
            var finished = new java.util.concurrent.CountDownLatch(1);
            StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(anonymous.channel)
                    .serverReflectionInfo(new StreamObserver<>() {
                        @Override
                        public void onNext(ServerReflectionResponse response) {
                            response.getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
                        }

                        @Override
                        public void onError(Throwable t) {
                            finished.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            finished.countDown();
                        }
                    });
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            requests.onCompleted();
            assertThat(finished.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(services).contains("minqing.v1.CaseCommandService", "minqing.v1.CaseQueryService");
        }
    }
}
