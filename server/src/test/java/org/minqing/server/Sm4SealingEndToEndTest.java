package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.CaseView;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.PersonalDataCipher;
import org.minqing.api.v1.ReplayCaseRequest;

/** With {@code minqing.privacy.cipher=sm4-gcm} (商用密码) new envelopes are sealed with SM4-GCM and open as before. */
class Sm4SealingEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void aServerConfiguredForSm4SealsWithItAndReadsItsEnvelopes() throws Exception {
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.privacy.cipher=sm4-gcm");
             MinqingClient dispatcher = server.client(MinqingClient.DEV_KEY);
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            String name = dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("SM-" + requestId())).getCase();
            dispatcher.awaitRevision(name, 1);

            CaseReported stored = auditor.audit.replayCase(ReplayCaseRequest.newBuilder().setName(name).build()).next()
                    .getEvent().unpack(CaseReported.class);
            assertThat(stored.getPersonalData().getCipher()).isEqualTo(PersonalDataCipher.PERSONAL_DATA_CIPHER_SM4_GCM);
            assertThat(stored.getCitizen().getName()).isEmpty();
            assertThat(dispatcher.queries.getCase(GetCaseRequest.newBuilder().setName(name).setView(CaseView.CASE_VIEW_FULL)
                    .build()).getCitizen().getName()).isEqualTo("王芳");
        }
    }
}
