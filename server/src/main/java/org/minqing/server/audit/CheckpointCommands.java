package org.minqing.server.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import com.google.protobuf.ByteString;
import org.minqing.api.v1.AuditServiceGrpc;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.ConsistencyProof;
import org.minqing.api.v1.CreateCheckpointRequest;
import org.minqing.api.v1.GetCheckpointRequest;
import org.minqing.api.v1.GetConsistencyProofRequest;
import org.minqing.api.v1.GetInclusionProofRequest;
import org.minqing.api.v1.InclusionProof;
import org.minqing.api.v1.ReplayCaseRequest;
import org.minqing.command.audit.merkle.Checkpoint;
import org.minqing.command.audit.merkle.MerkleHashes;
import org.minqing.command.audit.merkle.NoteKeys;

/**
 * The auditor's commands about the Merkle log: make a key, fetch and keep a checkpoint, and check
 * the server's proofs against checkpoints kept — each checkpoint's signature checked with the
 * verifier key the operator published ({@code --log-key}), never one learnt from the server.
 * Exit status 0 = proven, 1 = a proof or signature fails, 2 = usage or connection error.
 */
final class CheckpointCommands {

    private final PrintStream out;
    private final PrintStream err;

    CheckpointCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** {@code audit keygen --name NAME}: a signer key for the server, and the verifier key to publish. */
    int keygen(String name) {
        NoteKeys.Signer signer;
        try {
            signer = NoteKeys.generate(name);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        out.println("signer key (minqing.checkpoints.signing-key; keep it secret, outside the data directory):");
        out.println(signer.text());
        out.println("verifier key (publish it; auditors and witnesses check checkpoints with it):");
        out.println(signer.verifier().text());
        return 0;
    }

    /** {@code audit checkpoint --log-key VKEY [--new] [--out FILE]}: the latest (or a new) checkpoint, checked and kept. */
    int checkpoint(AuditServiceGrpc.AuditServiceBlockingStub audit, NoteKeys.Verifier key, boolean create, Path file)
            throws IOException {
        String note = create ? audit.createCheckpoint(CreateCheckpointRequest.getDefaultInstance()).getNote()
                : audit.getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getNote();
        Checkpoint checkpoint = open(note, key);
        if (checkpoint == null) {
            return 1;
        }
        if (file != null) {
            Files.writeString(file, note, StandardCharsets.UTF_8);
        }
        out.printf("checkpoint %s: %,d events, root %s, signed by %s%s%n", checkpoint.origin(), checkpoint.size(),
                HexFormat.of().formatHex(checkpoint.root()), key.name(), file == null ? "" : "; kept in " + file);
        return 0;
    }

    /**
     * {@code audit prove --case ID --revision N --checkpoint FILE --log-key VKEY}: the event as the
     * server stores it now is a leaf of the checkpoint's tree.
     */
    int prove(AuditServiceGrpc.AuditServiceBlockingStub audit, NoteKeys.Verifier key, Path checkpointFile,
              String caseId, long revision) throws IOException {
        Checkpoint checkpoint = open(Files.readString(checkpointFile, StandardCharsets.UTF_8), key);
        if (checkpoint == null) {
            return 1;
        }
        AuditedEvent event = null;
        Iterator<AuditedEvent> events = audit.replayCase(ReplayCaseRequest.newBuilder().setName("cases/" + caseId).build());
        while (events.hasNext()) {
            AuditedEvent next = events.next();
            if (next.getSequence() == revision - 1) {
                event = next;
            }
        }
        if (event == null) {
            out.printf("cases/%s has no revision %d now: NOT PROVEN%n", caseId, revision);
            return 1;
        }
        InclusionProof proof = audit.getInclusionProof(GetInclusionProofRequest.newBuilder().setCase("cases/" + caseId)
                .setRevision(revision).setTreeSize(checkpoint.size()).build());
        byte[] leaf = MerkleHashes.leaf(caseId, event.getSequence(), HexFormat.of().parseHex(event.getHash()));
        if (MerkleHashes.verifyInclusion(proof.getLeafIndex(), checkpoint.size(), leaf, bytes(proof.getHashesList()),
                checkpoint.root())) {
            out.printf("cases/%s revision %d is leaf %,d of checkpoint %,d: proven%n", caseId, revision,
                    proof.getLeafIndex(), checkpoint.size());
            return 0;
        }
        out.printf("cases/%s revision %d as stored now is NOT in checkpoint %,d (the proof fails: the event or the"
                + " tree was changed since the checkpoint was signed)%n", caseId, revision, checkpoint.size());
        return 1;
    }

    /** {@code audit consistency --old FILE --new FILE --log-key VKEY}: the later checkpoint's log extends the earlier's. */
    int consistency(AuditServiceGrpc.AuditServiceBlockingStub audit, NoteKeys.Verifier key, Path oldFile, Path newFile)
            throws IOException {
        Checkpoint older = open(Files.readString(oldFile, StandardCharsets.UTF_8), key);
        Checkpoint newer = open(Files.readString(newFile, StandardCharsets.UTF_8), key);
        if (older == null || newer == null) {
            return 1;
        }
        if (older.size() > newer.size()) {
            err.println("--old must be the smaller checkpoint");
            return 2;
        }
        ConsistencyProof proof = audit.getConsistencyProof(GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(older.size()).setSecondTreeSize(newer.size()).build());
        if (MerkleHashes.verifyConsistency(older.size(), newer.size(), older.root(), newer.root(),
                bytes(proof.getHashesList()))) {
            out.printf("checkpoint %,d extends checkpoint %,d: consistent%n", newer.size(), older.size());
            return 0;
        }
        out.printf("checkpoint %,d does NOT extend checkpoint %,d: the log was rewritten between them%n",
                newer.size(), older.size());
        return 1;
    }

    /**
     * Where an export stops being what a checkpoint committed to: the longest prefix of the
     * export's leaves the server can prove is a prefix of the checkpoint's tree (consistency
     * proofs, each checked against the signed root, so a server cannot fake a match), found by
     * bisection in O(log n) calls. Gives the number of leading leaves that match.
     */
    long matchingPrefix(AuditServiceGrpc.AuditServiceBlockingStub audit, Checkpoint checkpoint, ExportTree export) {
        long matching = 0;
        long differing = Math.min(export.size(), checkpoint.size());
        if (differing < checkpoint.size() && provenPrefix(audit, checkpoint, export, differing)) {
            return differing;
        }
        // Invariant: the first `matching` leaves are proven; the first `differing` are not.
        while (differing - matching > 1) {
            long middle = matching + (differing - matching) / 2;
            if (provenPrefix(audit, checkpoint, export, middle)) {
                matching = middle;
            } else {
                differing = middle;
            }
        }
        return matching;
    }

    private static boolean provenPrefix(AuditServiceGrpc.AuditServiceBlockingStub audit, Checkpoint checkpoint,
                                        ExportTree export, long prefix) {
        if (prefix == 0) {
            return true;
        }
        ConsistencyProof proof = audit.getConsistencyProof(GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(prefix).setSecondTreeSize(checkpoint.size()).build());
        return MerkleHashes.verifyConsistency(prefix, checkpoint.size(), export.root(prefix), checkpoint.root(),
                bytes(proof.getHashesList()));
    }

    /** The checkpoint in {@code note} if {@code key} signed it; else says why and gives null. */
    Checkpoint open(String note, NoteKeys.Verifier key) {
        try {
            return Checkpoint.open(note, key);
        } catch (IllegalArgumentException e) {
            out.println("checkpoint refused: " + e.getMessage());
            return null;
        }
    }

    private static List<byte[]> bytes(List<ByteString> hashes) {
        return hashes.stream().map(ByteString::toByteArray).toList();
    }
}
