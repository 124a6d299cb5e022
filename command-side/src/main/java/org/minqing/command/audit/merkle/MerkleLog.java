package org.minqing.command.audit.merkle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.ProtoTime;
import org.minqing.command.audit.CaseAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Merkle log: every event of the log, in log order, as a leaf ({@link MerkleHashes#leaf}),
 * with the roots of the tree's perfect subtrees stored so that any root and proof is a handful
 * of lookups. Grown by {@link #extend} from where it ended, reading the log as an export does.
 *
 * <p>On the JDBC engines the log's order is its global index, and a transaction may commit after
 * a later one: an index below the newest event may still fill in. The log takes an event only
 * once every gap below it is older than the settle time (a transaction that has not committed by
 * then has rolled back), so its leaves follow the index order an export reads. An event that
 * commits into a gap even later is appended at the end, out of order, and logged as an error: an
 * export then disagrees with the checkpoints, loudly. On KurrentDB {@code $all} is in commit
 * order and nothing waits.
 */
public final class MerkleLog {

    private static final Logger log = LoggerFactory.getLogger(MerkleLog.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final int ROUND = 10_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final CaseAudit audit;
    private final Duration settleTime;

    public MerkleLog(JdbcTemplate jdbc, TransactionTemplate transaction, CaseAudit audit, Duration settleTime) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.audit = audit;
        this.settleTime = settleTime;
    }

    /** One stored leaf: where its event is. */
    public record Leaf(long index, String caseId, long sequence, byte[] chainHash) {
    }

    /** The number of leaves. */
    public long size() {
        Long last = jdbc.queryForObject("SELECT MAX(leaf_index) FROM merkle_leaf", Long.class);
        return last == null ? 0 : last + 1;
    }

    /** The leaf of the event at {@code sequence} of the case, if the log has taken it. */
    public Optional<Leaf> leafOf(String caseId, long sequence) {
        return jdbc.query("SELECT leaf_index, chain_hash FROM merkle_leaf WHERE case_id = ? AND sequence_number = ?",
                (rs, row) -> new Leaf(rs.getLong(1), caseId, sequence, rs.getBytes(2)), caseId, sequence).stream().findFirst();
    }

    /** The root of the first {@code size} leaves. */
    public byte[] root(long size) {
        return size == 0 ? MerkleHashes.emptyRoot() : fetched(tree -> tree.hash(0, size));
    }

    public List<byte[]> inclusionProof(long index, long size) {
        return fetched(tree -> MerkleHashes.inclusionProof(index, size, tree));
    }

    public List<byte[]> consistencyProof(long first, long second) {
        return fetched(tree -> MerkleHashes.consistencyProof(first, second, tree));
    }

    /**
     * Takes the settled events after the log's end as new leaves, up to {@value #ROUND} a round, in
     * one transaction (a second process doing the same at once fails on the leaf's key and retries
     * next round). Returns how many were taken.
     */
    public int extend(Instant now) {
        String after = jdbc.query("SELECT position FROM merkle_log_position WHERE id = 1",
                (rs, row) -> rs.getString(1)).stream().findFirst().orElse("");
        List<AuditedEvent> settled = new ArrayList<>();
        String end = after;
        long highest = index(after);
        try (Stream<AuditedEvent> events = audit.log(after)) {
            // The first event of the log has nothing below it to wait for.
            long expected = after.isEmpty() ? Long.MAX_VALUE : highest + 1;
            for (AuditedEvent event : (Iterable<AuditedEvent>) events.limit(ROUND)::iterator) {
                long index = index(event.getPosition());
                if (index > expected && ProtoTime.instant(event.getTime()).isAfter(now.minus(settleTime))) {
                    break; // a gap below this event may still fill in
                }
                if (index >= 0 && index <= highest) {
                    // Filled a gap the log had already passed: late, unless a round took it already.
                    if (leafOf(event.getCaseId(), event.getSequence()).isPresent()) {
                        continue;
                    }
                } else {
                    end = event.getPosition(); // resume after the highest position read
                    highest = Math.max(highest, index);
                }
                settled.add(event);
                expected = expected == Long.MAX_VALUE ? index + 1 : Math.max(expected, index + 1);
            }
        }
        if (settled.isEmpty()) {
            return 0;
        }
        String position = end;
        transaction.executeWithoutResult(status -> append(settled, position, index(after)));
        return settled.size();
    }

    private void append(List<AuditedEvent> events, String position, long afterIndex) {
        long size = size();
        Map<Integer, byte[]> waiting = frontier(size);
        List<Object[]> leaves = new ArrayList<>();
        List<Object[]> nodes = new ArrayList<>();
        long seen = afterIndex;
        for (AuditedEvent event : events) {
            long index = index(event.getPosition());
            boolean late = index >= 0 && index <= seen;
            seen = Math.max(seen, index);
            if (late) {
                log.error("event {} of case {} (log position {}) committed after the Merkle log had passed its position;"
                                + " leaf {} holds it out of log order, so exports disagree with later checkpoints there",
                        event.getSequence(), event.getCaseId(), event.getPosition(), size);
            }
            byte[] chainHash = HEX.parseHex(event.getHash());
            leaves.add(new Object[] {size, event.getCaseId(), event.getSequence(), chainHash});
            byte[] hash = MerkleHashes.leaf(event.getCaseId(), event.getSequence(), chainHash);
            int level = 0;
            long node = size;
            nodes.add(new Object[] {level, node, hash});
            while ((node & 1) == 1) {
                hash = MerkleHashes.node(waiting.remove(level), hash);
                level++;
                node >>= 1;
                nodes.add(new Object[] {level, node, hash});
            }
            waiting.put(level, hash);
            size++;
        }
        jdbc.batchUpdate("INSERT INTO merkle_leaf (leaf_index, case_id, sequence_number, chain_hash) VALUES (?, ?, ?, ?)", leaves);
        jdbc.batchUpdate("INSERT INTO merkle_node (level, node_index, hash) VALUES (?, ?, ?)", nodes);
        if (jdbc.update("UPDATE merkle_log_position SET position = ? WHERE id = 1", position) == 0) {
            jdbc.update("INSERT INTO merkle_log_position (id, position) VALUES (1, ?)", position);
        }
    }

    /** The perfect subtrees of the first {@code size} leaves that wait for a right sibling, by level. */
    private Map<Integer, byte[]> frontier(long size) {
        Map<Integer, byte[]> waiting = new HashMap<>();
        for (int level = 0; level < 63; level++) {
            if ((size >> level & 1) == 1) {
                int at = level;
                waiting.put(level, jdbc.queryForObject("SELECT hash FROM merkle_node WHERE level = ? AND node_index = ?",
                        byte[].class, at, (size >> level) - 1));
            }
        }
        return waiting;
    }

    /**
     * Runs {@code use} twice: first to learn which stored subtree roots it needs (answers are
     * placeholders, and a proof's shape does not depend on them), then with all of them read in
     * one query.
     */
    private <T> T fetched(java.util.function.Function<MerkleHashes.Subtrees, T> use) {
        Set<List<Long>> needed = new LinkedHashSet<>();
        use.apply(MerkleHashes.fromPerfect((level, index) -> {
            needed.add(List.of(level, index));
            return new byte[32];
        }));
        // One primary-key lookup per node on one connection: a list of OR-ed keys is read by a
        // scan of the whole table on H2.
        Map<List<Long>, byte[]> stored = new HashMap<>();
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            try (PreparedStatement lookup = connection.prepareStatement(
                    "SELECT hash FROM merkle_node WHERE level = ? AND node_index = ?")) {
                for (List<Long> key : needed) {
                    lookup.setLong(1, key.get(0));
                    lookup.setLong(2, key.get(1));
                    try (ResultSet row = lookup.executeQuery()) {
                        if (row.next()) {
                            stored.put(key, row.getBytes(1));
                        }
                    }
                }
            }
            return null;
        });
        return use.apply(MerkleHashes.fromPerfect((level, index) -> {
            byte[] hash = stored.get(List.of(level, index));
            if (hash == null) {
                throw new IllegalStateException("the Merkle log has no node " + level + "/" + index);
            }
            return hash;
        }));
    }

    /** The global index of a JDBC position ({@code j:<index>[:gaps]}); KurrentDB's need no settling (-1). */
    private static long index(String position) {
        if (position.startsWith("j:")) {
            int end = position.indexOf(':', 2);
            return Long.parseLong(end < 0 ? position.substring(2) : position.substring(2, end));
        }
        return -1;
    }
}
