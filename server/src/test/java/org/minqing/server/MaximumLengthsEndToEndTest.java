package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.google.protobuf.util.Timestamps;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.requests.RequestChecks;
import org.minqing.api.v1.*;
import org.minqing.edge.AuthenticationInterceptor;
import org.minqing.edge.commands.CaseCommandGrpcService;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every value the command API accepts fits the read models: one case driven through its whole life
 * with every string at the longest length the API accepts, every list at its largest size, then read
 * back from the case summary (basic and full view), the timeline and the supervision read models at
 * the final revision. (A column narrower than the API's limit used to fail the projection's INSERT
 * or UPDATE after the command had returned OK: the event was skipped on H2, retried forever on
 * PostgreSQL.)
 */
class MaximumLengthsEndToEndTest {

    // The API's limits: the service's own constants, and (where the checks use literals) as
    // RequestChecks, FieldViolations, ResourceNames and CorrelationIdInterceptor check them.
    static final int TITLE = CaseCommandGrpcService.TITLE;
    static final int DESCRIPTION = CaseCommandGrpcService.DESCRIPTION; // also findings and resolution summaries
    static final int TEXT = CaseCommandGrpcService.TEXT; // notes, reasons, instructions, messages, places, purposes
    static final int CODE = CaseCommandGrpcService.CODE; // partner reference, category, district, grid, department…
    static final int ID = 64; // request and visit ids
    static final int CORRELATION_ID = 128;
    static final int CITIZEN_NAME = 100;
    static final int CITIZEN_PHONE = 32;
    static final int CITIZEN_ID_NUMBER = 32;
    static final int ADDRESS = 500;
    static final int URI = 2048;
    static final int MEDIA_TYPE = 255;
    static final int MAX_ATTACHMENTS = RequestChecks.MAX_ATTACHMENTS;
    static final int MAX_DEPARTMENTS = CaseCommandGrpcService.MAX_DEPARTMENTS;
    static final int MAX_VISITORS = CaseCommandGrpcService.MAX_VISITORS;

    /** Monday 2026-11-02 09:00 in Beijing. */
    static final Instant T0 = Instant.parse("2026-11-02T01:00:00Z");
    /** With nanoseconds, the longest form an instant takes in the supervision history (30 characters). */
    static final Instant EXTENDED_DEADLINE = Instant.parse("2026-11-30T01:00:00.123456789Z");

    /** {@code prefix} padded to exactly {@code length} characters. */
    static String fill(String prefix, int length) {
        StringBuilder s = new StringBuilder(prefix);
        while (s.length() < length) {
            s.append((char) ('a' + s.length() % 26));
        }
        return s.substring(0, length);
    }

    static String requestId() {
        String id = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        assertThat(id).hasSize(ID);
        return id;
    }

    static List<Attachment> attachments(String prefix) {
        return IntStream.range(0, MAX_ATTACHMENTS).mapToObj(i -> Attachment.newBuilder()
                .setUri(fill("https://files.example/" + prefix + "/" + i + "/", URI))
                .setSha256(String.format("%064x", i))
                .setMediaType(fill("image/x-" + prefix + "-" + i + "-", MEDIA_TYPE))
                .build()).toList();
    }

    static ReportCaseRequest report(String partnerReference) {
        return ReportCaseRequest.newBuilder()
                .setRequestId(requestId())
                .setChannel(Channel.CHANNEL_HOTLINE_12345)
                .setPartnerReference(partnerReference)
                .setCitizen(Citizen.newBuilder().setName(fill("王", CITIZEN_NAME).replaceAll("[a-z]", "芳"))
                        .setPhone("1".repeat(CITIZEN_PHONE)).setIdNumber("2".repeat(CITIZEN_ID_NUMBER)))
                .setCategory(fill("category-", CODE))
                .setUrgency(Urgency.URGENCY_NORMAL)
                .setTitle(fill("title-", TITLE))
                .setDescription(fill("description-", DESCRIPTION))
                .setLocation(Location.newBuilder().setAddress(fill("address-", ADDRESS))
                        .setDistrict(fill("district-", CODE)).setGrid(fill("grid-", CODE))
                        .setPosition(GeoPoint.newBuilder().setLatitude(39.92).setLongitude(116.44)))
                .addAllAttachments(attachments("report"))
                .build();
    }

    private final SupervisionEndToEndTest.TestClock clock = new SupervisionEndToEndTest.TestClock();

    @Test
    void aCaseWithEveryValueAtItsLongestIsReadBackWhole(@TempDir Path dataDir) throws Exception {
        String[] properties = java.util.stream.Stream.concat(Arrays.stream(SupervisionEndToEndTest.FAST_WATCH),
                Arrays.stream(LongestKey.properties())).toArray(String[]::new);
        try (MinqingServer server = MinqingServer.start(dataDir, clock, properties);
             MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            run(server, client);
        }
    }

    private void run(MinqingServer server, MinqingClient client) throws Exception {
        Metadata headers = new Metadata();
        String correlationId = fill("corr-", CORRELATION_ID);
        headers.put(Metadata.Key.of("x-correlation-id", Metadata.ASCII_STRING_MARSHALLER), correlationId);
        var correlated = MetadataUtils.newAttachHeadersInterceptor(headers);
        Commands c = new Commands(client, correlated);
        String department2 = LongestKey.DEPARTMENT_2.organization();
        try (MinqingClient department2Client = server.client(LongestKey.DEPARTMENT_2.key());
             MinqingClient supervisorClient = server.client(LongestKey.SUPERVISOR.key())) {
            run(server, client, c, new Commands(department2Client, correlated), new Commands(supervisorClient, correlated),
                    correlationId, department2);
        }
    }

    private void run(MinqingServer server, MinqingClient client, Commands c, Commands dept, Commands sup,
                     String correlationId, String department2) throws Exception {
        String department = fill("department-1-", CODE);
        String handler = fill("handler-1-", CODE);
        String handler2 = fill("handler-2-", CODE);
        List<String> assisting = IntStream.range(0, MAX_DEPARTMENTS)
                .mapToObj(i -> fill("assisting-" + i + "-", CODE)).toList();
        List<String> visitors = IntStream.range(0, MAX_VISITORS).mapToObj(i -> fill("visitor-" + i + "-", CODE)).toList();
        String visitId = fill("visit-", ID);
        String place = fill("place-", TEXT);
        String newPlace = fill("new-place-", TEXT);
        String findings = fill("findings-", DESCRIPTION);
        String resolution = fill("resolution-", DESCRIPTION);
        String extensionReason = fill("extension-reason-", TEXT);
        String approvalNote = fill("approval-note-", TEXT);
        String urging = fill("urging-", TEXT);
        String instructions = fill("supervision-", TEXT);

        ReportCaseRequest reportRequest = report(fill("partner-reference-", CODE));
        String name = c.get().reportCase(reportRequest).getCase();
        c.get().acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setNote(fill("accept-", TEXT)).build());
        // A duplicate report, as long, merged in (并单).
        String duplicate = c.get().reportCase(report(fill("partner-reference-dup-", CODE))).getCase();
        c.get().mergeCase(MergeCaseRequest.newBuilder().setName(duplicate).setRequestId(requestId()).setTarget(name)
                .setReason(fill("merge-", TEXT)).build());
        c.get().dispatchCase(DispatchCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setDepartment(department).setHandler(handler).setInstructions(fill("instructions-", TEXT)).build());
        clock.now = T0.plus(Duration.ofMinutes(10));
        c.get().transferCase(TransferCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setDepartment(department2).setHandler(handler2).setReason(fill("transfer-", TEXT)).build());
        dept.get().requestAssistance(RequestAssistanceRequest.newBuilder().setName(name).setRequestId(requestId())
                .addAllDepartments(assisting).setReason(fill("assistance-", TEXT)).build());
        dept.get().acknowledgeCase(AcknowledgeCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setHandler(handler2).build());
        dept.get().recordCitizenContact(RecordCitizenContactRequest.newBuilder().setName(name).setRequestId(requestId())
                .setMethod(ContactMethod.CONTACT_METHOD_PHONE).setSummary(fill("contact-", TEXT)).build());
        String visit = dept.get().scheduleVisit(ScheduleVisitRequest.newBuilder().setName(name).setRequestId(requestId())
                .setVisitId(visitId).setScheduledTime(Timestamps.fromMillis(T0.plus(Duration.ofHours(2)).toEpochMilli()))
                .setPlace(place).addAllVisitors(visitors).setPurpose(fill("purpose-", TEXT)).build()).getVisit();
        dept.get().rescheduleVisit(RescheduleVisitRequest.newBuilder().setName(visit).setRequestId(requestId())
                .setScheduledTime(Timestamps.fromMillis(T0.plus(Duration.ofHours(3)).toEpochMilli()))
                .setPlace(newPlace).setReason(fill("reschedule-", TEXT)).build());
        clock.now = T0.plus(Duration.ofHours(3));
        dept.get().checkInVisit(CheckInVisitRequest.newBuilder().setName(visit).setRequestId(requestId())
                .setPosition(GeoPoint.newBuilder().setLatitude(39.92).setLongitude(116.44))
                .setVisitor(visitors.get(MAX_VISITORS - 1)).build());
        dept.get().completeVisit(CompleteVisitRequest.newBuilder().setName(visit).setRequestId(requestId())
                .setFindings(findings).addAllEvidence(attachments("visit")).build());
        dept.get().addProgressNote(AddProgressNoteRequest.newBuilder().setName(name).setRequestId(requestId())
                .setNote(fill("progress-", TEXT)).build());
        dept.get().requestExtension(RequestExtensionRequest.newBuilder().setName(name).setRequestId(requestId())
                .setRequestedDeadline(Timestamps.fromNanos(EXTENDED_DEADLINE.getEpochSecond() * 1_000_000_000L
                        + EXTENDED_DEADLINE.getNano()))
                .setReason(extensionReason).build());
        sup.get().approveExtension(ApproveExtensionRequest.newBuilder().setName(name).setRequestId(requestId())
                .setNote(approvalNote).build());
        sup.get().urgeCase(UrgeCaseRequest.newBuilder().setName(name).setRequestId(requestId()).setMessage(urging).build());
        long supervised = sup.get().superviseCase(SuperviseCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setInstructions(instructions).build()).getRevision();

        // The extended resolution deadline passes: a breach, and the case is overdue on the worklist.
        clock.now = EXTENDED_DEADLINE.plus(Duration.ofMinutes(1));
        int breachedRevision = (int) supervised + 1;
        WorklistItem item;
        try (MinqingClient watcher = server.client(MinqingClient.DEV_KEY)) { // its stubs' deadlines start now
            List<TimelineEntry> untilBreach = watcher.awaitTimeline(name, breachedRevision);
            assertThat(untilBreach.get(breachedRevision - 1).getEventType()).isEqualTo("minqing.v1.DeadlineBreached");
            item = awaitWorklistItem(watcher, department2, name);
        }
        assertThat(item.getStatus()).isEqualTo(WorklistStatus.WORKLIST_STATUS_OVERDUE);
        assertThat(item.getTitle()).isEqualTo(reportRequest.getTitle());
        assertThat(item.getDepartment()).isEqualTo(department2);
        assertThat(item.getDistrict()).isEqualTo(reportRequest.getLocation().getDistrict());
        assertThat(item.getGrid()).isEqualTo(reportRequest.getLocation().getGrid());
        assertThat(item.getCategory()).isEqualTo(reportRequest.getCategory());
        assertThat(item.getUrgeCount()).isEqualTo(1);
        assertThat(item.getSupervised()).isTrue();
        assertThat(item.getSupervisionHistoryList()).extracting(SupervisionRecord::getAction).containsExactly(
                SupervisionAction.SUPERVISION_ACTION_EXTENSION_REQUESTED,
                SupervisionAction.SUPERVISION_ACTION_EXTENSION_APPROVED,
                SupervisionAction.SUPERVISION_ACTION_URGED,
                SupervisionAction.SUPERVISION_ACTION_SUPERVISED,
                SupervisionAction.SUPERVISION_ACTION_DEADLINE_BREACHED);
        assertThat(item.getSupervisionHistoryList()).extracting(SupervisionRecord::getText).containsExactly(
                "to " + EXTENDED_DEADLINE + ": " + extensionReason,
                "to " + EXTENDED_DEADLINE + ": " + approvalNote,
                urging, instructions,
                "resolution deadline " + EXTENDED_DEADLINE + " passed");
        assertThat(item.getSupervisionHistory(0).getText()).hasSize(3 + 30 + 2 + TEXT);

        dept.get().resolveCase(ResolveCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setSummary(resolution).addAllEvidence(attachments("resolution")).build());
        c.get().recordFeedback(RecordFeedbackRequest.newBuilder().setName(name).setRequestId(requestId())
                .setSolved(true).setSatisfaction(Satisfaction.SATISFACTION_SATISFIED)
                .setComment(fill("comment-", TEXT)).build());
        long revision = c.get().closeCase(CloseCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setNote(fill("close-", TEXT)).build()).getRevision();
        assertThat(revision).isEqualTo(breachedRevision + 3);

        try (MinqingClient reader = server.client(MinqingClient.DEV_KEY)) {
            Case summary = reader.awaitRevision(name, revision);
            assertThat(summary.getRevision()).isEqualTo(revision);
            assertThat(summary.getState()).isEqualTo(CaseState.CASE_STATE_CLOSED);
            assertThat(summary.getPartnerReference()).isEqualTo(reportRequest.getPartnerReference());
            assertThat(summary.getCategory()).isEqualTo(reportRequest.getCategory());
            assertThat(summary.getTitle()).isEqualTo(reportRequest.getTitle());
            assertThat(summary.getDescription()).isEqualTo(reportRequest.getDescription());
            assertThat(summary.getLocation().getDistrict()).isEqualTo(reportRequest.getLocation().getDistrict());
            assertThat(summary.getLocation().getGrid()).isEqualTo(reportRequest.getLocation().getGrid());
            assertThat(summary.getDepartment()).isEqualTo(department2);
            assertThat(summary.getHandler()).isEqualTo(handler2);
            assertThat(summary.getAssistingDepartmentsList()).containsExactlyElementsOf(assisting);
            assertThat(summary.getAttachmentsList()).containsExactlyElementsOf(reportRequest.getAttachmentsList());
            assertThat(summary.getLinkedCasesList()).containsExactly(duplicate);
            assertThat(summary.getUrgeCount()).isEqualTo(1);
            assertThat(summary.getSupervised()).isTrue();
            assertThat(summary.getSatisfaction()).isEqualTo(Satisfaction.SATISFACTION_SATISFIED);
            assertThat(summary.getVisitsList()).singleElement().satisfies(v -> {
                assertThat(v.getName()).isEqualTo(visit).endsWith("/visits/" + visitId);
                assertThat(v.getState()).isEqualTo(VisitState.VISIT_STATE_COMPLETED);
                assertThat(v.getPlace()).isEqualTo(newPlace);
                assertThat(v.getVisitorsList()).containsExactlyElementsOf(visitors);
                assertThat(v.getPurpose()).hasSize(TEXT);
                assertThat(v.getFindings()).isEqualTo(findings);
                assertThat(v.getEvidenceList()).containsExactlyElementsOf(attachments("visit"));
            });
            assertThat(summary.hasCitizen()).isFalse();

            Case full = reader.queries.withDeadlineAfter(30, TimeUnit.SECONDS).getCase(GetCaseRequest.newBuilder()
                    .setName(name).setView(CaseView.CASE_VIEW_FULL).build());
            assertThat(full.getRevision()).isEqualTo(revision);
            assertThat(full.getCitizen()).isEqualTo(reportRequest.getCitizen());
            assertThat(full.getLocation()).isEqualTo(reportRequest.getLocation());

            Case merged = reader.awaitCase(duplicate, d -> d.getState() == CaseState.CASE_STATE_MERGED);
            assertThat(merged.getMergedInto()).isEqualTo(name);
            assertThat(merged.getCategory()).isEqualTo(reportRequest.getCategory());

            List<TimelineEntry> timeline = reader.awaitTimeline(name, (int) revision);
            assertThat(timeline).hasSize((int) revision);
            assertThat(timeline).extracting(TimelineEntry::getSequence)
                    .containsExactlyElementsOf(IntStream.range(0, (int) revision).mapToObj(i -> (long) i).toList());
            assertThat(timeline).filteredOn(e -> !e.getActor().getId().equals("deadline-watch")).allSatisfy(e -> {
                assertThat(e.getCorrelationId()).isEqualTo(correlationId);
                assertThat(e.getRequestId()).hasSize(ID);
                assertThat(e.getActor().getId()).as("the longest principal").hasSize(200);
                assertThat(e.getActor().getOrganization()).as("the longest organization").hasSizeGreaterThanOrEqualTo(CODE);
            });
            assertThat(timeline.get(0).getSummary()).contains(reportRequest.getPartnerReference(),
                    reportRequest.getCategory(), reportRequest.getTitle(), reportRequest.getLocation().getDistrict(),
                    reportRequest.getLocation().getGrid());
            assertThat(timeline).filteredOn(e -> e.getEventType().equals("minqing.v1.AssistanceRequested"))
                    .singleElement().satisfies(e -> assertThat(e.getSummary()).contains(String.join(", ", assisting)));
            assertThat(timeline).filteredOn(e -> e.getEventType().equals("minqing.v1.VisitScheduled"))
                    .singleElement().satisfies(e -> assertThat(e.getSummary()).contains(String.join(", ", visitors)));
            assertThat(timeline.get((int) revision - 1).getEventType()).isEqualTo("minqing.v1.CaseClosed");

            // The supervision read model is at the final revision too, and the rates count the case.
            JdbcTemplate jdbc = server.context.getBean(JdbcTemplate.class);
            awaitSupervisionRevision(jdbc, name, revision);
            RateRow rates = reader.supervision.withDeadlineAfter(30, TimeUnit.SECONDS).listRates(ListRatesRequest.newBuilder()
                    .setGranularity(PeriodGranularity.PERIOD_GRANULARITY_MONTH).setStartDate("2026-11-01")
                    .setEndDate("2026-11-30").setDepartment(department2).build()).getRates(0);
            assertThat(rates.getValue()).isEqualTo(department2);
            assertThat(rates.getResponseRate().getDenominator()).isEqualTo(1);
            assertThat(rates.getResponseRate().getNumerator()).isEqualTo(1);
            assertThat(rates.getOnTimeResolutionRate().getDenominator()).isEqualTo(1);
            assertThat(rates.getSatisfactionRate().getNumerator()).isEqualTo(1);
            assertThat(rates.getResolutionBreaches()).isEqualTo(1);
            assertThat(reader.supervision.withDeadlineAfter(30, TimeUnit.SECONDS).listWorklistItems(
                    ListWorklistItemsRequest.getDefaultInstance()).getWorklistItemsList())
                    .extracting(WorklistItem::getCase).doesNotContain(name);
        }
    }

    /**
     * The keys of this test, in place of the development profile's: a dispatcher, the department the
     * case is transferred to, and a supervisor, each with the longest principal and organization
     * (the department's organization is its code, the longest a department may have).
     */
    private enum LongestKey {
        DISPATCHER("dispatcher", fill("organization-", 200)),
        DEPARTMENT_2("department", fill("department-2-", CODE)),
        SUPERVISOR("supervisor", fill("supervision-office-", 200));

        private final String role;
        private final String organization;

        LongestKey(String role, String organization) {
            this.role = role;
            this.organization = organization;
        }

        String key() {
            return "longest-" + name();
        }

        String organization() {
            return organization;
        }

        static String[] properties() {
            List<String> properties = new java.util.ArrayList<>(List.of(
                    // the dispatcher's key is the development key, so the plain client stays a dispatcher
                    "minqing.security.api-keys[0].sha256=" + AuthenticationInterceptor.sha256(MinqingClient.DEV_KEY),
                    "minqing.security.api-keys[0].principal=" + fill("principal-0-", 200),
                    "minqing.security.api-keys[0].role=" + DISPATCHER.role,
                    "minqing.security.api-keys[0].organization=" + DISPATCHER.organization));
            for (LongestKey key : List.of(DEPARTMENT_2, SUPERVISOR)) {
                int i = key.ordinal();
                properties.addAll(List.of(
                        "minqing.security.api-keys[" + i + "].sha256=" + AuthenticationInterceptor.sha256(key.key()),
                        "minqing.security.api-keys[" + i + "].principal=" + fill("principal-" + i + "-", 200),
                        "minqing.security.api-keys[" + i + "].role=" + key.role,
                        "minqing.security.api-keys[" + i + "].organization=" + key.organization));
            }
            return properties.toArray(String[]::new);
        }
    }

    /** Command stubs that send the longest correlation id, each call with a fresh deadline. */
    private record Commands(MinqingClient client, io.grpc.ClientInterceptor correlated) {
        CaseCommandServiceGrpc.CaseCommandServiceBlockingStub get() {
            return client.commands.withInterceptors(correlated).withDeadlineAfter(30, TimeUnit.SECONDS);
        }
    }

    private static WorklistItem awaitWorklistItem(MinqingClient client, String department, String name) {
        List<WorklistItem> items = await("the worklist showing " + name + " with its supervision history")
                .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.supervision.withDeadlineAfter(30, TimeUnit.SECONDS).listWorklistItems(
                        ListWorklistItemsRequest.newBuilder().setFilter(WorklistFilter.newBuilder().setDepartment(department))
                                .build()).getWorklistItemsList(),
                        found -> found.stream().anyMatch(i -> i.getCase().equals(name) && i.getSupervisionHistoryCount() == 5));
        return items.stream().filter(i -> i.getCase().equals(name)).findFirst().orElseThrow();
    }

    private static void awaitSupervisionRevision(JdbcTemplate jdbc, String name, long revision) {
        String caseId = name.substring("cases/".length());
        List<Long> revisions = await("supervision_case of " + name + " at revision " + revision)
                .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> jdbc.queryForList("SELECT revision FROM supervision_case WHERE case_id = ?", Long.class, caseId),
                        found -> !found.isEmpty() && found.get(0) >= revision);
        assertThat(revisions.get(0)).isEqualTo(revision);
    }
}
