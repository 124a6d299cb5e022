package org.minqing.server.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.minqing.api.v1.AuditedEvent;
import org.minqing.command.audit.AuditedEvents;
import org.minqing.command.audit.merkle.MerkleHashes;
import org.minqing.command.store.chain.CaseChainVerifier;
import org.minqing.command.store.chain.ChainBreak;
import org.minqing.command.store.chain.ChainedEvent;

/**
 * Verifies a whole exported log as it streams by: one chain verifier per case, fed in log order
 * (each case's events keep their order in the log), and, against a checkpoint, the Merkle root of
 * the first events. Memory grows with the number of cases, not the number of events.
 */
final class LogVerifier {

    private final Map<String, CaseChainVerifier> cases = new LinkedHashMap<>();
    private final Map<String, Long> breakLines = new LinkedHashMap<>();
    private final MerkleHashes.Frontier tree = new MerkleHashes.Frontier();
    private final long checkpointSize;
    private final ExportTree leaves;
    private byte[] rootAtCheckpoint;
    private long events;

    /**
     * @param checkpointSize the tree size whose root to keep (0: none)
     * @param keepLeaves whether to keep the leaves of the first {@code checkpointSize} events, to
     *                   locate where they stop matching a checkpoint (32 bytes and a line each)
     */
    LogVerifier(long checkpointSize, boolean keepLeaves) {
        this.checkpointSize = checkpointSize;
        this.leaves = keepLeaves ? new ExportTree() : null;
    }

    LogVerifier() {
        this(0, false);
    }

    void accept(AuditedEvent event) {
        accept(event, 0);
    }

    /** @param line where the event was read (an NDJSON line), 0 when not from a file */
    void accept(AuditedEvent event, long line) {
        boolean inTree = tree.size() < checkpointSize;
        accept(AuditedEvents.chained(event), null, inTree
                ? MerkleHashes.leaf(event.getCaseId(), event.getSequence(), ExportLine.chainHash(event.getHash())) : null, line);
    }

    /** An event read from an export file, its hash and leaf already computed. */
    void accept(ExportLine read) {
        accept(read.chained(), read.ownHash(), read.leaf(), read.line());
    }

    private void accept(ChainedEvent event, String ownHash, byte[] leaf, long line) {
        events++;
        CaseChainVerifier chain = cases.computeIfAbsent(event.caseId(), id -> new CaseChainVerifier());
        boolean wasIntact = !chain.broken();
        chain.accept(event, ownHash);
        if (wasIntact && chain.broken() && line > 0) {
            breakLines.put(event.caseId(), line);
        }
        if (tree.size() < checkpointSize) {
            tree.add(leaf);
            if (leaves != null) {
                leaves.add(leaf, line);
            }
            if (tree.size() == checkpointSize) {
                rootAtCheckpoint = tree.root();
            }
        }
    }

    /** The line at which the case's first break was found (0: not read from a file, or only at the end). */
    long lineOfBreak(String caseId) {
        return breakLines.getOrDefault(caseId, 0L);
    }

    /** The kept leaves of the first {@code checkpointSize} events (null unless asked for). */
    ExportTree leaves() {
        return leaves;
    }

    /** The root of the first {@code checkpointSize} events in log order; null when there were fewer. */
    byte[] rootAtCheckpoint() {
        return rootAtCheckpoint;
    }

    long events() {
        return events;
    }

    int cases() {
        return cases.size();
    }

    /** The broken cases, each with its first break. */
    Map<String, ChainBreak> broken() {
        Map<String, ChainBreak> broken = new LinkedHashMap<>();
        cases.forEach((id, verifier) -> {
            ChainBreak result = verifier.result();
            if (result != null) {
                broken.put(id, result);
            }
        });
        return broken;
    }
}
