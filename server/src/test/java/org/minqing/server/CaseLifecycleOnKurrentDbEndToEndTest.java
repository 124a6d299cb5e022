package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.server.MinqingClient.requestId;

import java.util.List;

import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.ResolvedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseChange;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The same whole-system lifecycle, with the events in KurrentDB (through the protocol test
 * server) instead of the embedded store: switching engines is one property.
 */
class CaseLifecycleOnKurrentDbEndToEndTest extends CaseLifecycleEndToEndTest {

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
    void theCaseHistoryIsAStreamInKurrentDbAndNotInTheSqlDatabase() throws Exception {
        CaseChange reported = client.commands.reportCase(report("HL-" + requestId()));
        String caseId = reported.getCase().substring("cases/".length());

        KurrentDBClient kurrent = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(kurrentDb.connectionString()));
        try {
            List<String> types = kurrent.readStream("case-" + caseId, ReadStreamOptions.get()).get().getEvents()
                    .stream().map(ResolvedEvent::getOriginalEvent).map(e -> e.getEventType()).toList();
            assertThat(types).containsExactly("minqing.v1.CaseReported");
        } finally {
            kurrent.shutdown().get();
        }
        Integer sqlEvents = server.context.getBean(JdbcTemplate.class)
                .queryForObject("SELECT COUNT(*) FROM domain_event_entry", Integer.class);
        assertThat(sqlEvents).isZero();
    }
}
