package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.server.MinqingClient.requestId;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.Checkpoint;
import org.minqing.api.v1.CreateCheckpointRequest;
import org.minqing.api.v1.GetInclusionProofRequest;
import org.minqing.api.v1.InclusionProof;
import org.minqing.api.v1.ReplayCaseRequest;
import org.minqing.command.audit.merkle.MerkleHashes;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/**
 * The Merkle log over events kept in KurrentDB ({@code $all} order, through the protocol test
 * server): the leaves are the events, and a proof from the server verifies against the checkpoint.
 */
class CheckpointOnKurrentDbEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void theTreeCoversTheEventsInKurrentDbAndItsProofsVerify() throws Exception {
        try (KurrentDbTestServer kurrentDb = KurrentDbTestServer.start();
             MinqingServer server = MinqingServer.start(dataDir, "minqing.event-store.engine=kurrentdb",
                     "minqing.event-store.kurrentdb.connection-string=" + kurrentDb.connectionString(),
                     "minqing.checkpoints.build-interval=200ms");
             MinqingClient centre = server.client(MinqingClient.DEV_KEY);
             MinqingClient auditor = server.client(MinqingClient.AUDITOR_KEY)) {
            String name = centre.commands.reportCase(CaseLifecycleEndToEndTest.report("KCP-" + requestId())).getCase();
            centre.commands.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
            centre.commands.reportCase(CaseLifecycleEndToEndTest.report("KCP-" + requestId()));

            Checkpoint checkpoint = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> auditor.audit.createCheckpoint(CreateCheckpointRequest.getDefaultInstance()),
                            c -> c.getTreeSize() == 3);
            var accepted = auditor.audit.replayCase(ReplayCaseRequest.newBuilder().setName(name).build());
            accepted.next();
            String chainHash = accepted.next().getHash();
            InclusionProof proof = auditor.audit.getInclusionProof(GetInclusionProofRequest.newBuilder()
                    .setCase(name).setRevision(2).setTreeSize(3).build());
            byte[] leaf = MerkleHashes.leaf(name.substring("cases/".length()), 1, java.util.HexFormat.of().parseHex(chainHash));
            assertThat(proof.getLeafIndex()).isEqualTo(1);
            assertThat(MerkleHashes.verifyInclusion(1, 3, leaf,
                    proof.getHashesList().stream().map(com.google.protobuf.ByteString::toByteArray).toList(),
                    checkpoint.getRootHash().toByteArray())).isTrue();
        }
    }
}
