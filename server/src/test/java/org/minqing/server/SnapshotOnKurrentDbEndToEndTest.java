package org.minqing.server;

import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.ReadStreamOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/** The same snapshot behaviour with the events and snapshots in KurrentDB (protocol test server). */
class SnapshotOnKurrentDbEndToEndTest extends SnapshotEndToEndTest {

    private KurrentDbTestServer kurrentDb;

    @BeforeEach
    void startKurrentDb() {
        kurrentDb = KurrentDbTestServer.start();
    }

    @AfterEach
    void stopKurrentDb() {
        kurrentDb.close();
    }

    @Override
    protected MinqingServer startServer() {
        return MinqingServer.start(dataDir, "minqing.snapshots.event-count=5", "minqing.event-store.engine=kurrentdb",
                "minqing.event-store.kurrentdb.connection-string=" + kurrentDb.connectionString());
    }

    @Override
    protected long snapshots(MinqingServer server, String caseId) throws Exception {
        KurrentDBClient client = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(kurrentDb.connectionString()));
        try {
            return client.readStream("snapshot-case-" + caseId, ReadStreamOptions.get()).get().getEvents().size();
        } finally {
            client.shutdown().get();
        }
    }
}
