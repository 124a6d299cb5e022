package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.CaseView;
import org.minqing.api.v1.ErasePersonalDataRequest;
import org.minqing.api.v1.ExportLogRequest;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.GetCaseStateAsOfRequest;
import org.minqing.api.v1.ListTimelineEntriesRequest;
import org.minqing.api.v1.PersonalDataErased;
import org.minqing.api.v1.PersonalDataState;
import org.minqing.api.v1.RejectCaseRequest;
import org.minqing.api.v1.ReplayCaseRequest;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.api.v1.VerifyCaseRequest;

/**
 * A citizen's personal data through its life: reported (twice), read back by a role that may,
 * never stored in the clear, erased on request by the privacy officer — in both cases, for every
 * reader — while every chain still verifies; and the retention policy erasing on its own. On the
 * embedded store, on PostgreSQL with {@code -Dminqing.test.database=postgresql}, and on the
 * KurrentDB engine ({@link PersonalDataErasureOnKurrentDbEndToEndTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonalDataErasureEndToEndTest {

    static final String NAME = "王芳";
    static final String PHONE = "13800000000";
    static final String ADDRESS = "3号楼";

    @TempDir
    static Path dataDir;
    MinqingServer server;
    MinqingClient dispatcher;
    MinqingClient officer;
    MinqingClient auditor;

    /** The engine's properties: none for the embedded store (or PostgreSQL). */
    List<String> engineProperties() {
        return List.of();
    }

    @BeforeAll
    void start() {
        List<String> properties = new ArrayList<>(engineProperties());
        // Cases finished more than 2 s ago lose their citizen's data, looked for every second.
        properties.addAll(List.of("minqing.privacy.retention.closed-for=PT2S", "minqing.privacy.retention.interval=PT1S",
                "minqing.privacy.erasure-queue-interval=PT0.5S"));
        server = MinqingServer.start(dataDir, properties.toArray(String[]::new));
        dispatcher = server.client(MinqingClient.DEV_KEY);
        officer = server.client(MinqingClient.PRIVACY_OFFICER_KEY);
        auditor = server.client(MinqingClient.AUDITOR_KEY);
    }

    @AfterAll
    void stop() throws InterruptedException {
        dispatcher.close();
        officer.close();
        auditor.close();
        server.close();
    }

    @Test
    void anErasedCitizensDataIsGoneFromEveryReadWhileTheChainsStillVerify() throws Exception {
        String first = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("ER-" + requestId())).getCase();
        String second = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("ER-" + requestId())).getCase();
        String neighbour = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("ER-" + requestId()).toBuilder()
                .setCitizen(org.minqing.api.v1.Citizen.newBuilder().setName("李雷").setPhone("13900000000")).build())
                .getCase();
        Case before = full(dispatcher.awaitRevision(first, 1).getName());
        assertThat(before.getCitizen().getName()).isEqualTo(NAME);
        assertThat(before.getLocation().getAddress()).contains(ADDRESS);
        assertThat(before.getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_AVAILABLE);
        assertThat(plaintextIn(export())).as("the log holds personal data sealed only").isEmpty();
        assertThat(replay(first).get(0).getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_AVAILABLE);
        CaseReported stored = replay(first).get(0).getEvent().unpack(CaseReported.class);
        assertThat(stored.getCitizen().getName()).isEmpty();
        assertThat(stored.getPersonalData().getCiphertext()).isNotEmpty();

        CaseChange erased = officer.commands.erasePersonalData(erase(first));
        assertThat(erased.getRevision()).isEqualTo(2);

        dispatcher.awaitRevision(first, 2);
        Case after = full(first);
        assertThat(after.getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
        assertThat(after.getCitizen().getName()).isEmpty();
        assertThat(after.getCitizen().getPhone()).isEmpty();
        assertThat(after.getLocation().getAddress()).isEmpty();
        assertThat(after.getLocation().hasPosition()).isFalse();
        assertThat(after.getDescription()).isEmpty();
        assertThat(after.getLocation().getDistrict()).as("not personal").isEqualTo("chaoyang");
        Awaitility.await().untilAsserted(() -> assertThat(full(second).getPersonalData())
                .as("the citizen's other case").isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED));
        assertThat(full(second).getCitizen().getName()).isEmpty();
        assertThat(full(neighbour).getCitizen().getName()).as("another citizen").isEqualTo("李雷");
        assertThat(embeddedStoreFilesHolding(NAME, PHONE, ADDRESS)).as("the embedded store's files").isEmpty();

        List<AuditedEvent> history = replay(first);
        assertThat(history).hasSize(2);
        assertThat(history.get(0).getPersonalData()).as("the report's envelope, in the replay")
                .isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
        assertThat(history.get(1).getPersonalData()).as("no envelope").isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_UNSPECIFIED);
        assertThat(export().stream().filter(e -> e.getCaseId().equals(second.substring("cases/".length())))
                .map(AuditedEvent::getPersonalData).findFirst()).as("in the export")
                .contains(PersonalDataState.PERSONAL_DATA_STATE_ERASED);
        PersonalDataErased record = history.get(1).getEvent().unpack(PersonalDataErased.class);
        assertThat(record.getReason()).isEqualTo("citizen's request 2026-11-30, ticket PR-7");
        assertThat(history.get(1).getMetadataMap()).containsEntry("actorId", "dev-privacy-officer");
        assertThat(plaintextIn(export())).isEmpty();
        assertThat(containsPersonalData(auditor.audit.getCaseStateAsOf(GetCaseStateAsOfRequest.newBuilder()
                .setName(first).setRevision(1).build()).toByteString().toStringUtf8())).isFalse();
        assertThat(auditor.audit.verifyCase(VerifyCaseRequest.newBuilder().setName(first).build()).getIntact()).isTrue();
        assertThat(auditor.audit.verifyCase(VerifyCaseRequest.newBuilder().setName(second).build()).getIntact()).isTrue();
        String target = "127.0.0.1:" + server.port;
        AuditCliRun all = AuditCliRun.cli("verify", "--all", "--target", target, "--api-key", MinqingClient.AUDITOR_KEY);
        assertThat(all.status()).as(all.out()).isZero();
        Path file = dataDir.resolve("after-erasure.ndjson");
        assertThat(AuditCliRun.cli("export", "--target", target, "--api-key", MinqingClient.AUDITOR_KEY, "--out",
                file.toString()).status()).isZero();
        assertThat(java.nio.file.Files.readString(file)).doesNotContain(NAME, PHONE, ADDRESS);
        AuditCliRun offline = AuditCliRun.cli("verify-file", file.toString());
        assertThat(offline.status()).as(offline.out()).isZero();
        Awaitility.await().untilAsserted(() -> assertThat(dispatcher.queries.listTimelineEntries(
                        ListTimelineEntriesRequest.newBuilder().setParent(first).build()).getTimelineEntriesList())
                .extracting(TimelineEntry::getSummary).hasSize(2).last()
                .isEqualTo("Personal data erased (个人信息已删除): citizen's request 2026-11-30, ticket PR-7"));

        assertThat(officer.commands.erasePersonalData(erase(first)).getRevision()).as("again: nothing new").isEqualTo(2);
        assertThat(officer.commands.erasePersonalData(erase(second)).getRevision()).as("done by the queue already")
                .isEqualTo(dispatcher.awaitRevision(second, 2).getRevision());
    }

    @Test
    void erasureIsTheOfficersAndNeedsACaseAndAReason() {
        String name = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("ER-" + requestId())).getCase();
        assertThat(status(() -> dispatcher.commands.erasePersonalData(erase(name)))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status(() -> officer.commands.erasePersonalData(erase("cases/nobody")))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status(() -> officer.commands.erasePersonalData(erase(name).toBuilder().clearReason().build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(full(name).getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_AVAILABLE);
    }

    @Test
    void aCitizenCanBeNamedByTheirPhoneInsteadOfACase() {
        org.minqing.api.v1.Citizen citizen = org.minqing.api.v1.Citizen.newBuilder().setName("张伟").setPhone("136 0000 0000")
                .build();
        String one = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("ER-" + requestId()).toBuilder()
                .setCitizen(citizen).build()).getCase();
        String two = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("ER-" + requestId()).toBuilder()
                .setCitizen(citizen).build()).getCase();
        ErasePersonalDataRequest byPhone = ErasePersonalDataRequest.newBuilder().setRequestId(requestId())
                .setReason("citizen's request, ticket PR-9")
                .setCitizen(org.minqing.api.v1.Citizen.newBuilder().setPhone("13600000000")).build();

        officer.commands.erasePersonalData(byPhone);

        Awaitility.await().untilAsserted(() -> assertThat(List.of(full(one).getPersonalData(), full(two).getPersonalData()))
                .containsOnly(PersonalDataState.PERSONAL_DATA_STATE_ERASED));
        assertThat(status(() -> officer.commands.erasePersonalData(byPhone.toBuilder().setRequestId(requestId())
                .setCitizen(org.minqing.api.v1.Citizen.newBuilder().setIdNumber("110105199001011234")).build())))
                .as("nobody with that ID number").isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status(() -> officer.commands.erasePersonalData(byPhone.toBuilder().setRequestId(requestId())
                .setCitizen(org.minqing.api.v1.Citizen.newBuilder().setName("张伟")).build())))
                .as("a name alone names nobody").isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void theRetentionPolicyErasesTheDataOfACitizenWhoseCasesAreAllFinished() throws Exception {
        String name = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("ER-" + requestId()).toBuilder()
                .setCitizen(org.minqing.api.v1.Citizen.newBuilder().setName("韩梅梅").setPhone("13700000000")).build())
                .getCase();
        dispatcher.commands.rejectCase(RejectCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setReason("not a matter for 12345").build());

        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(full(name).getPersonalData()).isEqualTo(PersonalDataState.PERSONAL_DATA_STATE_ERASED));
        PersonalDataErased record = replay(name).get(2).getEvent().unpack(PersonalDataErased.class);
        assertThat(record.getReason()).startsWith("retention: every case of the citizen finished more than PT2S ago");
        assertThat(replay(name).get(2).getMetadataMap()).containsEntry("actorId", "retention-policy");
    }

    static ErasePersonalDataRequest erase(String name) {
        return ErasePersonalDataRequest.newBuilder().setName(name).setRequestId(requestId())
                .setReason("citizen's request 2026-11-30, ticket PR-7").build();
    }

    Case full(String name) {
        return dispatcher.queries.getCase(GetCaseRequest.newBuilder().setName(name).setView(CaseView.CASE_VIEW_FULL).build());
    }

    List<AuditedEvent> replay(String name) {
        List<AuditedEvent> events = new ArrayList<>();
        auditor.audit.replayCase(ReplayCaseRequest.newBuilder().setName(name).build()).forEachRemaining(events::add);
        return events;
    }

    List<AuditedEvent> export() {
        List<AuditedEvent> events = new ArrayList<>();
        auditor.audit.exportLog(ExportLogRequest.getDefaultInstance()).forEachRemaining(events::add);
        return events;
    }

    /** The events whose stored bytes (JSON) or decoded form (protobuf) hold the citizen's name, phone or address. */
    static List<String> plaintextIn(List<AuditedEvent> events) {
        return events.stream().filter(e -> containsPersonalData(e.getPayload().toStringUtf8())
                        || containsPersonalData(e.getEvent().getValue().toStringUtf8()))
                .map(e -> e.getCaseId() + "/" + e.getSequence() + " " + e.getType()).toList();
    }

    /**
     * The H2 files under the data directory whose bytes contain any of the texts (UTF-8): the log,
     * the read models, the ledger, old row versions and free space alike. None with PostgreSQL.
     */
    static List<String> embeddedStoreFilesHolding(String... texts) throws java.io.IOException {
        List<String> holding = new ArrayList<>();
        try (var files = java.nio.file.Files.walk(dataDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".db")).toList()) {
                String bytes = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String text : texts) {
                    if (bytes.contains(new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            java.nio.charset.StandardCharsets.ISO_8859_1))) {
                        holding.add(file.getFileName() + " holds " + text);
                    }
                }
            }
        }
        return holding;
    }

    static boolean containsPersonalData(String text) {
        return text.contains(NAME) || text.contains(PHONE) || text.contains(ADDRESS);
    }

    static Status.Code status(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call succeeded");
    }
}
