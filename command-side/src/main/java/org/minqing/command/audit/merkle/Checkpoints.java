package org.minqing.command.audit.merkle;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.minqing.command.store.EventStoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.TransactionException;

/**
 * The signed checkpoints of the {@link MerkleLog}: every round the log takes the settled new
 * events, and a checkpoint is signed when {@code every-events} events have joined since the last
 * one, or {@code every} has passed and any has — and on demand. Stored, listed, and each one a
 * C2SP signed note to hand to a witness. Without a signing key the tree still grows; nothing is
 * signed.
 */
public final class Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final JdbcTemplate jdbc;
    private final MerkleLog merkleLog;
    private final CheckpointProperties properties;
    private final NoteKeys.Signer signer;
    private final String origin;
    private final Clock clock;

    public Checkpoints(JdbcTemplate jdbc, MerkleLog merkleLog, CheckpointProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.merkleLog = merkleLog;
        this.properties = properties;
        this.signer = properties.signer();
        this.origin = properties.origin() != null && !properties.origin().isBlank() ? properties.origin()
                : signer == null ? null : signer.name();
        this.clock = clock;
    }

    /** A stored checkpoint. */
    public record Stored(long size, byte[] root, String note, Instant signedAt) {
    }

    /** The origin line of this log's checkpoints (null when it signs none). */
    public String origin() {
        return origin;
    }

    /** The key that verifies this log's checkpoints, if it signs any. */
    public Optional<NoteKeys.Verifier> verifier() {
        return Optional.ofNullable(signer).map(NoteKeys.Signer::verifier);
    }

    public Optional<Stored> latest() {
        return jdbc.query("SELECT tree_size, root_hash, note, signed_at FROM merkle_checkpoint "
                + "ORDER BY tree_size DESC FETCH FIRST 1 ROWS ONLY", STORED).stream().findFirst();
    }

    public Optional<Stored> at(long size) {
        return jdbc.query("SELECT tree_size, root_hash, note, signed_at FROM merkle_checkpoint WHERE tree_size = ?",
                STORED, size).stream().findFirst();
    }

    /** Newest first, those smaller than {@code below} (Long.MAX_VALUE: from the newest). */
    public List<Stored> list(long below, int count) {
        return jdbc.query("SELECT tree_size, root_hash, note, signed_at FROM merkle_checkpoint WHERE tree_size < ? "
                + "ORDER BY tree_size DESC FETCH FIRST " + count + " ROWS ONLY", STORED, below);
    }

    /** One round: grow the tree, then sign if the cadence says so. */
    @Scheduled(initialDelayString = "PT1S", fixedDelayString = "${minqing.checkpoints.build-interval:PT2S}")
    public void round() {
        try {
            merkleLog.extend(clock.instant());
            if (signer == null) {
                return;
            }
            long size = merkleLog.size();
            Optional<Stored> last = latest();
            long lastSize = last.map(Stored::size).orElse(0L);
            boolean due = size - lastSize >= properties.everyEvents()
                    || (size > lastSize && last.map(c -> !c.signedAt().plus(properties.every()).isAfter(clock.instant()))
                    .orElse(true));
            if (due) {
                sign(size);
            }
        } catch (DuplicateKeyException another) {
            log.debug("another process extended the Merkle log or signed first; next round goes on from there");
        } catch (DataAccessException | TransactionException | EventStoreUnavailableException away) {
            // the database or the event store is away, or closing
            log.warn("the Merkle log could not grow this round ({}); the next round goes on", away.getMessage());
        }
    }

    /**
     * Grows the tree with what has settled and signs a checkpoint of it (the latest one again when
     * nothing has joined since).
     *
     * @throws IllegalStateException when this server has no signing key
     */
    public Stored signNow() {
        if (signer == null) {
            throw new IllegalStateException("this server signs no checkpoints: minqing.checkpoints.signing-key is not set");
        }
        merkleLog.extend(clock.instant());
        long size = merkleLog.size();
        return at(size).orElseGet(() -> sign(size));
    }

    private Stored sign(long size) {
        Checkpoint checkpoint = Checkpoint.sign(signer, origin, size, merkleLog.root(size));
        Instant now = clock.instant();
        try {
            jdbc.update("INSERT INTO merkle_checkpoint (tree_size, root_hash, note, signed_at) VALUES (?, ?, ?, ?)",
                    size, checkpoint.root(), checkpoint.note(), now.atOffset(ZoneOffset.UTC));
        } catch (DuplicateKeyException another) {
            return at(size).orElseThrow();
        }
        log.info("signed checkpoint {} of the Merkle log", size);
        return new Stored(size, checkpoint.root(), checkpoint.note(), now);
    }

    private static final RowMapper<Stored> STORED = (rs, row) -> new Stored(rs.getLong(1), rs.getBytes(2),
            rs.getString(3), rs.getObject(4, java.time.OffsetDateTime.class).toInstant());
}
