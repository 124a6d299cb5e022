package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The same erasure with the events in KurrentDB (the protocol test server): the sealed events go
 * to the log, the keys stay in the SQL database.
 */
class PersonalDataErasureOnKurrentDbEndToEndTest extends PersonalDataErasureEndToEndTest {

    KurrentDbTestServer kurrentDb;

    @Override
    List<String> engineProperties() {
        kurrentDb = KurrentDbTestServer.start();
        return List.of("minqing.event-store.engine=kurrentdb",
                "minqing.event-store.kurrentdb.connection-string=" + kurrentDb.connectionString());
    }

    /** The server first: its scheduled work must not find KurrentDB gone. */
    @Override
    @AfterAll
    void stop() throws InterruptedException {
        super.stop();
        kurrentDb.close();
    }

    @Test
    void theKeysAreInTheSqlDatabaseAndTheLogIsInKurrentDb() {
        dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("ER-" + MinqingClient.requestId()));
        JdbcTemplate sql = server.context.getBean(JdbcTemplate.class);
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM personal_data_key", Integer.class)).isPositive();
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Integer.class)).isZero();
    }
}
