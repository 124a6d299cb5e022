package org.minqing.edge.audit;

import java.util.List;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.ResourceNames;
import org.minqing.api.v1.Checkpoint;
import org.minqing.api.v1.CheckpointKey;
import org.minqing.api.v1.ConsistencyProof;
import org.minqing.api.v1.GetCheckpointRequest;
import org.minqing.api.v1.GetConsistencyProofRequest;
import org.minqing.api.v1.GetInclusionProofRequest;
import org.minqing.api.v1.InclusionProof;
import org.minqing.api.v1.ListCheckpointsRequest;
import org.minqing.api.v1.ListCheckpointsResponse;
import org.minqing.api.v1.ProtoTime;
import org.minqing.command.audit.merkle.Checkpoints;
import org.minqing.command.audit.merkle.MerkleHashes;
import org.minqing.command.audit.merkle.MerkleLog;
import org.minqing.query.paging.PageTokens;

/**
 * The audit service's answers about the Merkle log: checkpoints, the key that signs them, and
 * proofs against them. Requests are checked first (INVALID_ARGUMENT with the fields); what does
 * not exist is NOT_FOUND; a server that signs nothing answers FAILED_PRECONDITION.
 */
final class CheckpointAnswers {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final Checkpoints checkpoints;
    private final MerkleLog merkleLog;

    CheckpointAnswers(Checkpoints checkpoints, MerkleLog merkleLog) {
        this.checkpoints = checkpoints;
        this.merkleLog = merkleLog;
    }

    Checkpoint get(GetCheckpointRequest request) {
        FieldViolations violations = new FieldViolations();
        violations.check(request.getTreeSize() >= 0, "tree_size", "0 (the latest) or a checkpoint's tree size");
        violations.throwIfAny();
        return message(checkpoint(request.getTreeSize()));
    }

    ListCheckpointsResponse list(ListCheckpointsRequest request) {
        FieldViolations violations = new FieldViolations();
        int pageSize = PageTokens.pageSize(request.getPageSize(), DEFAULT_PAGE, MAX_PAGE, violations);
        String fingerprint = PageTokens.fingerprint(request);
        List<String> position = PageTokens.decode(request.getPageToken(), fingerprint, 1, violations);
        long below = Long.MAX_VALUE;
        if (position != null && !position.isEmpty()) {
            try {
                below = Long.parseLong(position.get(0));
            } catch (NumberFormatException e) {
                PageTokens.malformed(violations);
            }
        }
        violations.throwIfAny();
        signing();
        List<Checkpoints.Stored> page = checkpoints.list(below, pageSize + 1);
        ListCheckpointsResponse.Builder response = ListCheckpointsResponse.newBuilder();
        page.stream().limit(pageSize).forEach(c -> response.addCheckpoints(message(c)));
        if (page.size() > pageSize) {
            response.setNextPageToken(PageTokens.encode(fingerprint,
                    List.of(Long.toString(page.get(pageSize - 1).size()))));
        }
        return response.build();
    }

    Checkpoint create() {
        signing();
        return message(checkpoints.signNow());
    }

    CheckpointKey key() {
        signing();
        return CheckpointKey.newBuilder().setVerifierKey(checkpoints.verifier().orElseThrow().text())
                .setOrigin(checkpoints.origin()).build();
    }

    InclusionProof inclusion(GetInclusionProofRequest request) {
        FieldViolations violations = new FieldViolations();
        String caseId = ResourceNames.caseId("case", request.getCase(), violations);
        violations.check(request.getRevision() >= 1, "revision", "an event's revision, 1 or more");
        violations.check(request.getTreeSize() >= 0, "tree_size", "0 (the latest) or a checkpoint's tree size");
        violations.throwIfAny();
        Checkpoints.Stored checkpoint = checkpoint(request.getTreeSize());
        MerkleLog.Leaf leaf = merkleLog.leafOf(caseId, request.getRevision() - 1)
                .filter(l -> l.index() < checkpoint.size())
                .orElseThrow(() -> Status.NOT_FOUND.withDescription("revision " + request.getRevision() + " of "
                        + request.getCase() + " is not in the tree of checkpoint " + checkpoint.size()
                        + " (no such event, or it joined the log's tree later)").asRuntimeException());
        InclusionProof.Builder proof = InclusionProof.newBuilder()
                .setLeafIndex(leaf.index())
                .setLeafHash(ByteString.copyFrom(MerkleHashes.leaf(caseId, leaf.sequence(), leaf.chainHash())))
                .setTreeSize(checkpoint.size())
                .setChainHash(java.util.HexFormat.of().formatHex(leaf.chainHash()));
        merkleLog.inclusionProof(leaf.index(), checkpoint.size()).forEach(h -> proof.addHashes(ByteString.copyFrom(h)));
        return proof.build();
    }

    ConsistencyProof consistency(GetConsistencyProofRequest request) {
        FieldViolations violations = new FieldViolations();
        violations.check(request.getFirstTreeSize() >= 1, "first_tree_size", "a tree size, 1 or more");
        violations.check(request.getSecondTreeSize() >= request.getFirstTreeSize(), "second_tree_size",
                "a checkpoint's tree size, not smaller than first_tree_size");
        violations.throwIfAny();
        // Any prefix of a checkpoint's tree can be proven against it: an auditor bisects with these
        // to find the first event of an export that differs from what a checkpoint committed to.
        long first = request.getFirstTreeSize();
        long second = checkpoint(request.getSecondTreeSize()).size();
        ConsistencyProof.Builder proof = ConsistencyProof.newBuilder().setFirstTreeSize(first).setSecondTreeSize(second);
        merkleLog.consistencyProof(first, second).forEach(h -> proof.addHashes(ByteString.copyFrom(h)));
        return proof.build();
    }

    private Checkpoints.Stored checkpoint(long size) {
        signing();
        return (size == 0 ? checkpoints.latest() : checkpoints.at(size)).orElseThrow(() -> Status.NOT_FOUND
                .withDescription(size == 0 ? "no checkpoint has been signed yet" : "no checkpoint of tree size " + size)
                .asRuntimeException());
    }

    private void signing() {
        if (checkpoints.verifier().isEmpty()) {
            throw Status.FAILED_PRECONDITION.withDescription(
                    "this server signs no checkpoints: minqing.checkpoints.signing-key is not set").asRuntimeException();
        }
    }

    private static Checkpoint message(Checkpoints.Stored stored) {
        return Checkpoint.newBuilder().setTreeSize(stored.size()).setRootHash(ByteString.copyFrom(stored.root()))
                .setNote(stored.note()).setSignTime(ProtoTime.timestamp(stored.signedAt())).build();
    }
}
