package org.minqing.command.audit.merkle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.minqing.api.v1.AuditedEvent;
import org.minqing.command.audit.AuditedEvents;
import org.minqing.command.audit.CaseAudit;
import org.minqing.command.store.chain.ChainHash;
import org.minqing.command.store.chain.ChainedEvent;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Walks the whole log and checks every event against itself (its content hashes to its stored
 * hash) and against the Merkle log's record of it (the leaf at its case and sequence holds that
 * hash, and the leaf before it the hash it chains from), then counts the recorded events the store
 * no longer has. In memory: one batch of events and their leaves, whatever the size of the log.
 */
public final class LogCheck {

    private static final HexFormat HEX = HexFormat.of();
    private static final int BATCH = 500;
    private static final int MAX_FINDINGS = 100;

    private final JdbcTemplate jdbc;
    private final CaseAudit audit;
    private final MerkleLog merkleLog;
    private final Clock clock;

    public LogCheck(JdbcTemplate jdbc, CaseAudit audit, MerkleLog merkleLog, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.merkleLog = merkleLog;
        this.clock = clock;
    }

    /** Something wrong with the stored log; {@code sequence} -1 when not one event's. */
    public record Finding(String caseId, long sequence, String problem) {
    }

    /** What one walk found; {@code findings} at most the first hundred of {@code problems}. */
    public record Result(long events, long recorded, long problems, List<Finding> findings, Instant finishedAt) {
    }

    public Result run() {
        long recorded = merkleLog.size();
        long events = 0;
        long matched = 0;
        long problems = 0;
        List<Finding> findings = new ArrayList<>();
        List<AuditedEvent> batch = new ArrayList<>(BATCH);
        try (Stream<AuditedEvent> log = audit.log("")) {
            var iterator = log.iterator();
            while (iterator.hasNext()) {
                batch.add(iterator.next());
                if (batch.size() == BATCH || !iterator.hasNext()) {
                    Map<String, byte[]> leaves = leavesAround(batch);
                    for (AuditedEvent event : batch) {
                        events++;
                        String problem = problemOf(event, leaves);
                        if (leaves.containsKey(key(event.getCaseId(), event.getSequence()))) {
                            matched++;
                        }
                        if (problem != null) {
                            problems++;
                            if (findings.size() < MAX_FINDINGS) {
                                findings.add(new Finding(event.getCaseId(), event.getSequence(), problem));
                            }
                        }
                    }
                    batch.clear();
                }
            }
        }
        if (matched < recorded) {
            problems++;
            findings.add(new Finding(null, -1, (recorded - matched) + " of the " + recorded
                    + " events the Merkle log recorded are no longer in the store"));
        }
        return new Result(events, recorded, problems, List.copyOf(findings), clock.instant());
    }

    private static String problemOf(AuditedEvent event, Map<String, byte[]> leaves) {
        ChainedEvent chained = AuditedEvents.chained(event);
        if (!ChainHash.wellFormed(chained.hash()) || !ChainHash.wellFormed(chained.previousHash())
                || !ChainHash.of(chained.previousHash(), chained).equals(chained.hash())) {
            return "its content does not match its hash";
        }
        byte[] recorded = leaves.get(key(event.getCaseId(), event.getSequence()));
        if (recorded != null && !Arrays.equals(recorded, HEX.parseHex(chained.hash()))) {
            return "it is not the event the Merkle log recorded at its place";
        }
        if (event.getSequence() == 0 && !chained.previousHash().equals(ChainHash.GENESIS)) {
            return "the case's first event chains from another event";
        }
        byte[] before = leaves.get(key(event.getCaseId(), event.getSequence() - 1));
        if (before != null && !Arrays.equals(before, HEX.parseHex(chained.previousHash()))) {
            return "it is not chained to the event the Merkle log recorded before it";
        }
        return null;
    }

    /**
     * The recorded chain hashes of each event of the batch and of the one before it: one lookup
     * per event on the leaves' (case, sequence) index, on one connection.
     */
    private Map<String, byte[]> leavesAround(List<AuditedEvent> batch) {
        Map<String, byte[]> leaves = new HashMap<>();
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            try (PreparedStatement lookup = connection.prepareStatement("SELECT sequence_number, chain_hash FROM merkle_leaf"
                    + " WHERE case_id = ? AND sequence_number BETWEEN ? AND ?")) {
                for (AuditedEvent event : batch) {
                    lookup.setString(1, event.getCaseId());
                    lookup.setLong(2, Math.max(0, event.getSequence() - 1));
                    lookup.setLong(3, event.getSequence());
                    try (ResultSet rows = lookup.executeQuery()) {
                        while (rows.next()) {
                            leaves.put(key(event.getCaseId(), rows.getLong(1)), rows.getBytes(2));
                        }
                    }
                }
            }
            return null;
        });
        return leaves;
    }

    private static String key(String caseId, long sequence) {
        return caseId + "#" + sequence;
    }
}
