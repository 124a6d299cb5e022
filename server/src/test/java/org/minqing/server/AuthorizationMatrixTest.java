package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.protobuf.Message;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.AcknowledgeCaseRequest;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.api.v1.ApproveExtensionRequest;
import org.minqing.api.v1.AuditServiceGrpc;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.CaseQueryServiceGrpc;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.DispatchCaseRequest;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ListCasesRequest;
import org.minqing.api.v1.ListRatesRequest;
import org.minqing.api.v1.ListTimelineEntriesRequest;
import org.minqing.api.v1.ListWorklistItemsRequest;
import org.minqing.api.v1.RequestAssistanceRequest;
import org.minqing.api.v1.RequestExtensionRequest;
import org.minqing.api.v1.ResolveCaseRequest;
import org.minqing.api.v1.SupervisionServiceGrpc;
import org.minqing.api.v1.TransferCaseRequest;
import org.minqing.api.v1.WorklistFilter;

/**
 * Every method × every role, against the table in docs/api.md ("Who may do what"): a cell marked
 * refused must be PERMISSION_DENIED with ErrorInfo {@code ROLE_NOT_ALLOWED} naming the role and the
 * method, any other cell must get past that check (its empty request may then be invalid, or a
 * case not found). Then the "own" cells: departments, grid workers and partners on cases that are
 * and are not theirs.
 */
class AuthorizationMatrixTest {

    private static final String[] ROLES = {"dispatcher", "department", "grid_worker", "partner", "supervisor", "auditor",
            "privacy_officer", "operator"};
    private static final Map<String, String> KEYS = Map.of(
            "dispatcher", MinqingClient.DEV_KEY,
            "department", MinqingClient.departmentKey("water-bureau"),
            "grid_worker", MinqingClient.GRID_WORKER_KEY,
            "partner", MinqingClient.PARTNER_KEY,
            "supervisor", MinqingClient.SUPERVISOR_KEY,
            "auditor", MinqingClient.AUDITOR_KEY,
            "privacy_officer", MinqingClient.PRIVACY_OFFICER_KEY,
            "operator", MinqingClient.OPERATOR_KEY);

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static MinqingClient dispatcher;
    static MinqingClient waterBureau;
    static MinqingClient roadsBureau;
    static MinqingClient partner;
    static MinqingClient supervisor;

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir);
        dispatcher = server.client(MinqingClient.DEV_KEY);
        waterBureau = server.client(MinqingClient.departmentKey("water-bureau"));
        roadsBureau = server.client(MinqingClient.departmentKey("roads-bureau"));
        partner = server.client(MinqingClient.PARTNER_KEY);
        supervisor = server.client(MinqingClient.SUPERVISOR_KEY);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (MinqingClient client : List.of(dispatcher, waterBureau, roadsBureau, partner, supervisor)) {
            client.close();
        }
        server.close();
    }

    @Test
    void everyMethodAnswersEveryRoleAsTheDocumentedTableSays() throws Exception {
        Map<String, List<String>> table = documentedTable();
        List<MethodDescriptor<?, ?>> methods = Stream.of(CaseCommandServiceGrpc.getServiceDescriptor(),
                        CaseQueryServiceGrpc.getServiceDescriptor(), SupervisionServiceGrpc.getServiceDescriptor(),
                        AuditServiceGrpc.getServiceDescriptor(), org.minqing.api.v1.CategoryServiceGrpc.getServiceDescriptor())
                .map(ServiceDescriptor::getMethods).flatMap(java.util.Collection::stream).toList();
        assertThat(table.keySet()).as("the table has a row for every method, and no other")
                .containsExactlyInAnyOrderElementsOf(methods.stream()
                        .map(m -> m.getFullMethodName().substring("minqing.v1.".length())).toList());

        List<String> mismatches = new ArrayList<>();
        int refusedCells = 0;
        for (MethodDescriptor<?, ?> method : methods) {
            List<String> row = table.get(method.getFullMethodName().substring("minqing.v1.".length()));
            for (int r = 0; r < ROLES.length; r++) {
                boolean documentedRefused = row.get(r).equals("—");
                StatusRuntimeException outcome = call(method, KEYS.get(ROLES[r]));
                ErrorInfo info = outcome == null ? null : errorInfo(outcome);
                boolean refused = outcome != null && outcome.getStatus().getCode() == Status.Code.PERMISSION_DENIED
                        && info != null && info.getReason().equals("ROLE_NOT_ALLOWED");
                if (refused) {
                    refusedCells++;
                    assertThat(info.getMetadataMap()).containsEntry("role", ROLES[r])
                            .containsEntry("rpc", method.getFullMethodName());
                }
                if (refused != documentedRefused) {
                    mismatches.add(method.getFullMethodName() + " × " + ROLES[r] + ": documented "
                            + row.get(r) + ", answered " + (outcome == null ? "OK" : outcome.getStatus()));
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(refusedCells).as("cells refused").isGreaterThan(100);
    }

    @Test
    void aDepartmentActsAndReadsOnlyOnTheCasesItHoldsOrAssists() {
        String name = dispatched("water-bureau");

        StatusRuntimeException notTheirs = refusal(() -> roadsBureau.commands.acknowledgeCase(
                AcknowledgeCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build()));
        assertRefused(notTheirs, "CASE_NOT_HELD");
        assertThat(notTheirs.getStatus().getDescription()).contains("with water-bureau", "not roads-bureau");
        assertRefused(refusal(() -> roadsBureau.queries.getCase(GetCaseRequest.newBuilder().setName(name).build())),
                "CASE_NOT_VISIBLE");
        assertRefused(refusal(() -> roadsBureau.queries.getCase(GetCaseRequest.newBuilder()
                .setName("cases/no-such-case").build())), "CASE_NOT_VISIBLE");
        assertRefused(refusal(() -> roadsBureau.queries.listTimelineEntries(ListTimelineEntriesRequest.newBuilder()
                .setParent(name).build())), "CASE_NOT_VISIBLE");
        assertRefused(refusal(() -> roadsBureau.queries.listCases(ListCasesRequest.newBuilder()
                .setDepartment("water-bureau").build())), "CASE_NOT_VISIBLE");
        assertRefused(refusal(() -> roadsBureau.supervision.listRates(ListRatesRequest.newBuilder()
                .setStartDate("2026-01-01").setEndDate("2026-12-31").setDepartment("water-bureau").build())),
                "CASE_NOT_VISIBLE");

        waterBureau.commands.acknowledgeCase(AcknowledgeCaseRequest.newBuilder().setName(name)
                .setRequestId(requestId()).build());
        dispatcher.awaitRevision(name, 4);
        assertThat(waterBureau.queries.getCase(GetCaseRequest.newBuilder().setName(name).build()).getDepartment())
                .isEqualTo("water-bureau");
        assertThat(waterBureau.queries.listCases(ListCasesRequest.newBuilder().setPageSize(1000).build())
                .getCasesList()).extracting(Case::getName).contains(name)
                .allSatisfy(n -> assertThat(dispatcher.queries.getCase(GetCaseRequest.newBuilder().setName(n).build())
                        .getDepartment()).isEqualTo("water-bureau"));
        assertThat(roadsBureau.queries.listCases(ListCasesRequest.newBuilder().setPageSize(1000).build())
                .getCasesList()).extracting(Case::getName).doesNotContain(name);

        // Called in to assist (吹哨报到), the roads bureau may note and visit, see the case, but not resolve it.
        waterBureau.commands.requestAssistance(RequestAssistanceRequest.newBuilder().setName(name)
                .setRequestId(requestId()).addDepartments("roads-bureau").setReason("the road above the pipe").build());
        roadsBureau.commands.addProgressNote(AddProgressNoteRequest.newBuilder().setName(name).setRequestId(requestId())
                .setNote("road closed for the repair").build());
        dispatcher.awaitRevision(name, 6);
        assertThat(roadsBureau.queries.getCase(GetCaseRequest.newBuilder().setName(name).build()).getAssistingDepartmentsList())
                .containsExactly("roads-bureau");
        StatusRuntimeException assistantResolves = refusal(() -> roadsBureau.commands.resolveCase(
                ResolveCaseRequest.newBuilder().setName(name).setRequestId(requestId()).setSummary("done").build()));
        assertRefused(assistantResolves, "CASE_NOT_HELD");
        assertThat(assistantResolves.getStatus().getDescription()).contains("assists it");

        // Transferred away, the water bureau holds it no more.
        dispatcher.commands.transferCase(TransferCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setDepartment("housing-bureau").setReason("a housing matter after all").build());
        assertRefused(refusal(() -> waterBureau.commands.addProgressNote(AddProgressNoteRequest.newBuilder()
                .setName(name).setRequestId(requestId()).setNote("still here?").build())), "CASE_NOT_HELD");
    }

    @Test
    void aDepartmentCannotApproveItsOwnExtensionAndSeesOnlyItsOwnWorklist() {
        String name = dispatched("water-bureau");
        waterBureau.commands.requestExtension(RequestExtensionRequest.newBuilder().setName(name).setRequestId(requestId())
                .setRequestedDeadline(com.google.protobuf.util.Timestamps.fromMillis(
                        System.currentTimeMillis() + 30L * 24 * 3600 * 1000))
                .setReason("the pipe is under the road").build());
        assertRefused(refusal(() -> waterBureau.commands.approveExtension(ApproveExtensionRequest.newBuilder()
                .setName(name).setRequestId(requestId()).build())), "ROLE_NOT_ALLOWED");
        assertThat(supervisor.commands.approveExtension(ApproveExtensionRequest.newBuilder().setName(name)
                .setRequestId(requestId()).build()).getEventTypesList()).containsExactly("minqing.v1.ExtensionApproved");

        assertRefused(refusal(() -> waterBureau.supervision.listWorklistItems(ListWorklistItemsRequest.newBuilder()
                .setFilter(WorklistFilter.newBuilder().setDepartment("roads-bureau")).build())), "CASE_NOT_VISIBLE");
        assertThat(waterBureau.supervision.listWorklistItems(ListWorklistItemsRequest.getDefaultInstance())
                .getWorklistItemsList()).allSatisfy(item -> assertThat(item.getDepartment()).isEqualTo("water-bureau"));
    }

    @Test
    void aPartnerReadsAndFollowsOnlyTheCasesItReported() {
        String own = partner.commands.reportCase(CaseLifecycleEndToEndTest.report("WX-" + requestId()).toBuilder()
                .setChannel(Channel.CHANNEL_WECHAT).build()).getCase();
        String others = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("HL-" + requestId())).getCase();
        dispatcher.awaitRevision(own, 1);
        dispatcher.awaitRevision(others, 1);

        assertThat(partner.queries.getCase(GetCaseRequest.newBuilder().setName(own).build()).getPartnerSystem())
                .isEqualTo("dev-wechat");
        assertRefused(refusal(() -> partner.queries.getCase(GetCaseRequest.newBuilder().setName(others).build())),
                "CASE_NOT_VISIBLE");
        assertThat(partner.queries.listCases(ListCasesRequest.newBuilder().setPageSize(1000).build()).getCasesList())
                .extracting(Case::getName).contains(own).doesNotContain(others)
                .allSatisfy(n -> assertThat(dispatcher.queries.getCase(GetCaseRequest.newBuilder().setName(n).build())
                        .getPartnerSystem()).isEqualTo("dev-wechat"));
        assertRefused(refusal(() -> partner.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(own)
                .setRequestId(requestId()).build())), "ROLE_NOT_ALLOWED");
    }

    private static String dispatched(String department) {
        String name = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("HL-" + requestId())).getCase();
        dispatcher.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
        dispatcher.commands.dispatchCase(DispatchCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                .setDepartment(department).build());
        dispatcher.awaitRevision(name, 3);
        return name;
    }

    /** Calls the method with its empty request: the outcome's status, or null when it answered. */
    @SuppressWarnings("unchecked")
    private static StatusRuntimeException call(MethodDescriptor<?, ?> method, String key) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
        var channel = ClientInterceptors.intercept(dispatcher.channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        var typed = (MethodDescriptor<Message, Message>) method;
        Message request = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller())
                .getMessagePrototype();
        boolean streaming = method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING;
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(streaming ? 2 : 30, TimeUnit.SECONDS);
        try {
            if (streaming) {
                Iterator<Message> stream = ClientCalls.blockingServerStreamingCall(channel, typed, options, request);
                stream.hasNext();
            } else {
                ClientCalls.blockingUnaryCall(channel, typed, options, request);
            }
            return null;
        } catch (StatusRuntimeException e) {
            if (streaming && e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                return null; // a live stream with nothing to send yet: it was let in
            }
            return e;
        }
    }

    /** docs/api.md's "Who may do what" table: method → the cell of each role, in ROLES order. */
    private static Map<String, List<String>> documentedTable() throws Exception {
        String api = Files.readString(Path.of("..", "docs", "api.md"));
        String section = api.substring(api.indexOf("## Who may do what"), api.indexOf("## Errors"));
        List<String> header = null;
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (String line : section.lines().toList()) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = Stream.of(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList();
            if (cells.get(0).equals("RPC")) {
                header = cells;
            } else if (cells.get(0).startsWith("`")) {
                List<String> row = new ArrayList<>();
                for (String role : ROLES) {
                    row.add(cells.get(header.indexOf(role)));
                }
                table.put(cells.get(0).replace("`", ""), row);
            }
        }
        return table;
    }

    private static ErrorInfo errorInfo(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return null;
        }
        return status.getDetailsList().stream().filter(d -> d.is(ErrorInfo.class)).findFirst().map(d -> {
            try {
                return d.unpack(ErrorInfo.class);
            } catch (com.google.protobuf.InvalidProtocolBufferException invalid) {
                throw new IllegalStateException(invalid);
            }
        }).orElse(null);
    }

    private static StatusRuntimeException refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call);
    }

    private static void assertRefused(StatusRuntimeException e, String reason) {
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(errorInfo(e)).as("ErrorInfo").isNotNull();
        assertThat(errorInfo(e).getReason()).isEqualTo(reason);
    }
}
