package org.minqing.projections;

import java.time.Clock;
import java.util.List;

import org.minqing.privacy.DataKeys;
import org.minqing.privacy.Envelopes;
import org.minqing.privacy.MasterKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The key store over a test database, under a master key made for the test run. */
public final class TestKeys {

    public static final String MASTER_KEY = MasterKey.generate();

    private TestKeys() {
    }

    public static DataKeys dataKeys(JdbcTemplate jdbc) {
        DataKeys keys = new DataKeys(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()),
                MasterKey.parse(MASTER_KEY, "the test master key"), List.of(), Clock.systemUTC());
        keys.start();
        return keys;
    }

    public static Envelopes envelopes(JdbcTemplate jdbc) {
        return new Envelopes(dataKeys(jdbc));
    }
}
