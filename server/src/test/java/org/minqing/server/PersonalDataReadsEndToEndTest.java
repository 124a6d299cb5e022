package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.CaseView;
import org.minqing.api.v1.ExportLogRequest;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ListPersonalDataReadsRequest;
import org.minqing.api.v1.PersonalDataRead;
import org.minqing.api.v1.ReplayCaseRequest;

/** Every read that hands out a citizen's personal data leaves a record an auditor can list; other reads do not. */
class PersonalDataReadsEndToEndTest {

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static MinqingClient dispatcher;
    static MinqingClient auditor;

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir);
        dispatcher = server.client(MinqingClient.DEV_KEY);
        auditor = server.client(MinqingClient.AUDITOR_KEY);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        dispatcher.close();
        auditor.close();
        server.close();
    }

    @Test
    void theFullViewAReplayAndAnExportAreRecordedWithWhoWhenAndWhich() {
        String name = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("PD-" + requestId())).getCase();
        String other = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("PD-" + requestId())).getCase();
        dispatcher.awaitRevision(name, 1);
        dispatcher.awaitRevision(other, 1);

        dispatcher.queries.getCase(GetCaseRequest.newBuilder().setName(name).build()); // basic view: not personal
        assertThat(dispatcher.queries.getCase(GetCaseRequest.newBuilder().setName(name)
                .setView(CaseView.CASE_VIEW_FULL).build()).getCitizen().getName()).isEqualTo("王芳");
        auditor.audit.replayCase(ReplayCaseRequest.newBuilder().setName(name).build()).forEachRemaining(e -> { });
        auditor.audit.exportLog(ExportLogRequest.getDefaultInstance()).forEachRemaining(e -> { });
        dispatcher.queries.getCase(GetCaseRequest.newBuilder().setName(other).setView(CaseView.CASE_VIEW_FULL).build());

        List<PersonalDataRead> ofTheCase = auditor.audit.listPersonalDataReads(ListPersonalDataReadsRequest.newBuilder()
                .setCase(name).build()).getPersonalDataReadsList();
        assertThat(ofTheCase).extracting(PersonalDataRead::getRpc).containsExactly(
                "minqing.v1.AuditService/ReplayCase", "minqing.v1.CaseQueryService/GetCase"); // newest first
        assertThat(ofTheCase.get(1).getActor().getId()).isEqualTo("dev");
        assertThat(ofTheCase.get(1).getActor().getRole()).isEqualTo("dispatcher");
        assertThat(ofTheCase.get(1).getDetail()).isEqualTo("CASE_VIEW_FULL");
        assertThat(ofTheCase.get(1).getCorrelationId()).isNotBlank();
        assertThat(ofTheCase.get(0).getActor().getId()).isEqualTo("dev-auditor");

        List<PersonalDataRead> all = auditor.audit.listPersonalDataReads(ListPersonalDataReadsRequest.newBuilder()
                .setPageSize(2).build()).getPersonalDataReadsList();
        assertThat(all).extracting(PersonalDataRead::getRpc).containsExactly(
                "minqing.v1.CaseQueryService/GetCase", "minqing.v1.AuditService/ExportLog");
        assertThat(all.get(0).getCase()).isEqualTo(other);
        assertThat(all.get(1).getCase()).as("an export reads every case").isEmpty();
        assertThat(all.get(1).getDetail()).isEqualTo("from the start");

        var firstPage = auditor.audit.listPersonalDataReads(ListPersonalDataReadsRequest.newBuilder().setPageSize(3).build());
        var secondPage = auditor.audit.listPersonalDataReads(ListPersonalDataReadsRequest.newBuilder().setPageSize(3)
                .setPageToken(firstPage.getNextPageToken()).build());
        assertThat(secondPage.getPersonalDataReadsList()).extracting(PersonalDataRead::getRpc)
                .containsExactly("minqing.v1.CaseQueryService/GetCase");
        assertThat(secondPage.getNextPageToken()).isEmpty();
    }
}
