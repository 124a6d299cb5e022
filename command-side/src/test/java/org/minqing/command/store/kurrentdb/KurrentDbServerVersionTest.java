package org.minqing.command.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/** What the engine learns of the server's version: what ServerFeatures reports, or nothing when it does not say. */
class KurrentDbServerVersionTest {

    @Test
    void theVersionIsWhatServerFeaturesReports() {
        try (KurrentDbTestServer server = KurrentDbTestServer.start()) {
            server.serverVersion("24.10.1");
            try (KurrentDbConnection connection = new KurrentDbConnection(server.connectionString(), Duration.ofSeconds(2))) {
                connection.verifyReachable();
                assertThat(connection.serverVersion()).contains("24.10.1");
            }
        }
    }

    @Test
    void aServerWithoutServerFeaturesReportsNone() {
        try (KurrentDbTestServer server = KurrentDbTestServer.start();
             KurrentDbConnection connection = new KurrentDbConnection(server.connectionString(), Duration.ofSeconds(2))) {
            connection.verifyReachable();
            assertThat(connection.serverVersion()).isEmpty();
        }
    }
}
