package org.minqing.privacy;

import java.util.List;

import org.minqing.api.v1.PersonalDataState;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether a data key still lives, read without the master key: what the audit role says of each
 * sealed envelope it hands out.
 */
public final class KeyStates {

    private final JdbcTemplate jdbc;

    public KeyStates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** AVAILABLE while the key lives, ERASED once destroyed, UNAVAILABLE when the key store has no such key. */
    public PersonalDataState of(String keyId) {
        List<Boolean> erased = jdbc.queryForList("SELECT wrapped_key IS NULL FROM personal_data_key WHERE key_id = ?",
                Boolean.class, keyId);
        if (erased.isEmpty()) {
            return PersonalDataState.PERSONAL_DATA_STATE_UNAVAILABLE;
        }
        return erased.get(0) ? PersonalDataState.PERSONAL_DATA_STATE_ERASED : PersonalDataState.PERSONAL_DATA_STATE_AVAILABLE;
    }
}
