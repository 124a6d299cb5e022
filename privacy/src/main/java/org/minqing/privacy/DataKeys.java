package org.minqing.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.PersonalDataState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The key store (tables of V11): citizens' data keys wrapped by the master key, the secret that
 * names citizens, and erasure. Opening a key of an erased citizen answers ERASED; a key that
 * cannot be unwrapped (a damaged entry) answers UNAVAILABLE, logged once, never garbage.
 */
public class DataKeys {

    private static final Logger log = LoggerFactory.getLogger(DataKeys.class);
    private static final String REFERENCE_SECRET = "citizen-reference";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final MasterKey master;
    private final Map<String, MasterKey> previous;
    private final Clock clock;
    private final Set<String> reportedDamaged = ConcurrentHashMap.newKeySet();
    private volatile byte[] referenceKey;

    public DataKeys(JdbcTemplate jdbc, PlatformTransactionManager transactions, MasterKey master,
                    List<MasterKey> previous, Clock clock) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.master = master;
        this.previous = previous.stream().collect(Collectors.toMap(MasterKey::id, Function.identity(), (a, b) -> a));
        this.clock = clock;
    }

    /**
     * Refuses a master key that did not wrap this database's keys, re-wraps what a previous master
     * key wrapped, and loads (or makes) the secret that names citizens.
     */
    public void start() {
        Set<String> wrappedBy = new TreeSet<>(jdbc.queryForList("""
                SELECT master_key_id FROM personal_data_key WHERE wrapped_key IS NOT NULL
                UNION SELECT master_key_id FROM privacy_secret""", String.class));
        wrappedBy.remove(master.id());
        wrappedBy.removeAll(previous.keySet());
        if (!wrappedBy.isEmpty()) {
            throw new MasterKeyException("The configured master key (id " + master.id() + ") did not wrap the"
                    + " personal-data keys in this database (wrapped by " + String.join(", ", wrappedBy)
                    + "): configure that master key in minqing.privacy.master-key-file, or, when rotating, list it in"
                    + " minqing.privacy.previous-master-key-files");
        }
        previous.values().forEach(this::rewrap);
        referenceKey = referenceSecret();
    }

    /** The pseudonymous reference of the citizen: by ID number, else phone, else the case alone. */
    public String citizenOf(Citizen citizen, String caseId) {
        String idNumber = citizen.getIdNumber().strip().toUpperCase(Locale.ROOT);
        String phone = citizen.getPhone().replaceAll("[^0-9]", "");
        String identity = !idNumber.isEmpty() ? "id:" + idNumber : !phone.isEmpty() ? "phone:" + phone : "case:" + caseId;
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(referenceKey, "HmacSHA256"));
            return HexFormat.of().formatHex(hmac.doFinal(identity.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The citizen's live data key, made (and committed on its own transaction) if there is none. */
    public Key liveKeyOf(String citizen) {
        Optional<Key> live = liveKey(citizen);
        if (live.isPresent()) {
            return live.get();
        }
        byte[] key = Aead.newKey();
        String id = HexFormat.of().formatHex(Aead.newKey(), 0, 16);
        // On its own: a key no event uses is harmless, an event whose key was rolled back is not. Two
        // first reports of one citizen at once make two live keys, which is harmless too: the newest
        // seals from then on, and erasure destroys them all.
        ownTransaction.executeWithoutResult(status -> jdbc.update("""
                INSERT INTO personal_data_key (key_id, citizen, master_key_id, wrapped_key, create_time)
                VALUES (?, ?, ?, ?, ?)""", id, citizen, master.id(), master.wrap(key, id), now()));
        return new Key(id, key);
    }

    /** The citizen a case's personal data belongs to, as recorded when the case was reported. */
    public Optional<String> citizenOfCase(String caseId) {
        return jdbc.queryForList("SELECT citizen FROM personal_data_case WHERE case_id = ?", String.class, caseId)
                .stream().findFirst();
    }

    /** Records whose a case's data is, in the caller's transaction; once per case. */
    public void recordCase(String caseId, String citizen) {
        if (citizenOfCase(caseId).isEmpty()) {
            jdbc.update("INSERT INTO personal_data_case (case_id, citizen) VALUES (?, ?)", caseId, citizen);
        }
    }

    public List<String> casesOf(String citizen) {
        return jdbc.queryForList("SELECT case_id FROM personal_data_case WHERE citizen = ? ORDER BY case_id",
                String.class, citizen);
    }

    /** A data key to open an envelope with, or why there is none. */
    public Opening open(String keyId) {
        var rows = jdbc.queryForList("SELECT master_key_id, wrapped_key FROM personal_data_key WHERE key_id = ?", keyId);
        if (rows.isEmpty()) {
            return damaged(keyId, "no such key");
        }
        byte[] wrapped = (byte[]) rows.get(0).get("wrapped_key");
        if (wrapped == null) {
            return new Opening(PersonalDataState.PERSONAL_DATA_STATE_ERASED, null);
        }
        String by = (String) rows.get(0).get("master_key_id");
        MasterKey wrapper = by.equals(master.id()) ? master : previous.get(by);
        try {
            if (wrapper == null) {
                throw new GeneralSecurityException("wrapped by master key " + by + ", which is not configured");
            }
            return new Opening(PersonalDataState.PERSONAL_DATA_STATE_AVAILABLE, wrapper.unwrap(wrapped, keyId));
        } catch (GeneralSecurityException e) {
            return damaged(keyId, e.getMessage());
        }
    }

    /**
     * Destroys every data key of the citizen, in the caller's transaction.
     *
     * @return whether any key was live (false: erased before, or never had one)
     */
    public boolean erase(String citizen, String erasedBy, String reason) {
        return jdbc.update("""
                UPDATE personal_data_key SET wrapped_key = NULL, erase_time = ?, erased_by = ?, erase_reason = ?
                WHERE citizen = ? AND wrapped_key IS NOT NULL""", now(), erasedBy, reason, citizen) > 0;
    }

    private Optional<Key> liveKey(String citizen) {
        List<String> ids = jdbc.queryForList("""
                SELECT key_id FROM personal_data_key WHERE citizen = ? AND wrapped_key IS NOT NULL
                ORDER BY create_time DESC, key_id""", String.class, citizen);
        for (String id : ids) {
            Opening opening = open(id);
            if (opening.key() != null) {
                return Optional.of(new Key(id, opening.key()));
            }
        }
        return Optional.empty();
    }

    /** Logs, once per key, that what it seals cannot be read. */
    public void reportDamaged(String keyId, String why) {
        damaged(keyId, why);
    }

    private Opening damaged(String keyId, String why) {
        if (reportedDamaged.add(keyId)) {
            log.error("Personal-data key {} cannot be read ({}): the fields it seals are shown as unavailable",
                    keyId, why);
        }
        return new Opening(PersonalDataState.PERSONAL_DATA_STATE_UNAVAILABLE, null);
    }

    private void rewrap(MasterKey old) {
        int keys = 0;
        for (var row : jdbc.queryForList("SELECT key_id, wrapped_key FROM personal_data_key WHERE master_key_id = ?"
                + " AND wrapped_key IS NOT NULL", old.id())) {
            String id = (String) row.get("key_id");
            try {
                byte[] key = old.unwrap((byte[]) row.get("wrapped_key"), id);
                keys += jdbc.update("UPDATE personal_data_key SET master_key_id = ?, wrapped_key = ? WHERE key_id = ?"
                        + " AND master_key_id = ?", master.id(), master.wrap(key, id), id, old.id());
            } catch (GeneralSecurityException e) {
                damaged(id, e.getMessage());
            }
        }
        for (var row : jdbc.queryForList("SELECT name, wrapped FROM privacy_secret WHERE master_key_id = ?", old.id())) {
            String name = (String) row.get("name");
            try {
                byte[] secret = old.unwrap((byte[]) row.get("wrapped"), name);
                jdbc.update("UPDATE privacy_secret SET master_key_id = ?, wrapped = ? WHERE name = ?", master.id(),
                        master.wrap(secret, name), name);
            } catch (GeneralSecurityException e) {
                throw new MasterKeyException("The secret " + name + " wrapped by master key " + old.id()
                        + " cannot be unwrapped with the key configured for it: " + e.getMessage());
            }
        }
        log.info("Master key rotation: {} data key(s) re-wrapped from master key {} to {}; once every process has"
                + " started with the new key, remove the old one from minqing.privacy.previous-master-key-files",
                keys, old.id(), master.id());
    }

    private byte[] referenceSecret() {
        var rows = jdbc.queryForList("SELECT master_key_id, wrapped FROM privacy_secret WHERE name = ?",
                REFERENCE_SECRET);
        if (rows.isEmpty()) {
            byte[] secret = Aead.newKey();
            try {
                jdbc.update("INSERT INTO privacy_secret (name, master_key_id, wrapped) VALUES (?, ?, ?)",
                        REFERENCE_SECRET, master.id(), master.wrap(secret, REFERENCE_SECRET));
                return secret;
            } catch (DuplicateKeyException e) {
                return referenceSecret(); // another process made it first
            }
        }
        try {
            return master.unwrap((byte[]) rows.get(0).get("wrapped"), REFERENCE_SECRET);
        } catch (GeneralSecurityException e) {
            throw new MasterKeyException("The configured master key (id " + master.id() + ") cannot unwrap this"
                    + " database's citizen-reference secret: the privacy_secret table is damaged or was written with"
                    + " another key of the same id");
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** A data key and its id. */
    public record Key(String id, byte[] bytes) {
    }

    /** The key, when the state is AVAILABLE. */
    public record Opening(PersonalDataState state, byte[] key) {
    }
}
