package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ListCasesRequest;

class RestartAndRolesTest {

    @Test
    void casesSurviveARestartOfTheServer(@TempDir Path dataDir) throws Exception {
        String name;
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            CaseChange reported = client.commands.reportCase(CaseLifecycleEndToEndTest.report("R-" + requestId()));
            name = reported.getCase();
            client.awaitRevision(name, reported.getRevision());
        }
        try (MinqingServer server = MinqingServer.start(dataDir); MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            Case restored = client.queries.getCase(GetCaseRequest.newBuilder().setName(name).build());
            assertThat(restored.getState()).isEqualTo(CaseState.CASE_STATE_REPORTED);
            assertThat(restored.getRevision()).isEqualTo(1);
            CaseChange accepted = client.commands.acceptCase(
                    AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
            assertThat(accepted.getRevision()).as("the history was loaded from disk").isEqualTo(2);
            assertThat(client.awaitRevision(name, 2).getState()).isEqualTo(CaseState.CASE_STATE_ACCEPTED);
        }
    }

    @Test
    void aProcessWithoutTheCommandRoleServesNoCommands(@TempDir Path dataDir) throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.roles.command=false");
             MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            assertThatThrownBy(() -> client.commands.reportCase(CaseLifecycleEndToEndTest.report("x")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
            assertThat(client.queries.listCases(ListCasesRequest.getDefaultInstance()).getCasesList()).isEmpty();
        }
    }

    @Test
    void aProcessWithoutTheQueryRoleServesNoQueries(@TempDir Path dataDir) throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.roles.query=false");
             MinqingClient client = server.client(MinqingClient.DEV_KEY)) {
            assertThatThrownBy(() -> client.queries.listCases(ListCasesRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
            assertThat(client.commands.reportCase(CaseLifecycleEndToEndTest.report("y")).getRevision()).isEqualTo(1);
        }
    }
}
