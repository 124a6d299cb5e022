package org.minqing.command.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.command.store.EventStorageContract;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/**
 * The engine over TLS, as a real server runs by default: the connection string names the CA to
 * verify the server with ({@code tls=true&tlsCaFile=…}); a plaintext client, or one that cannot
 * verify the certificate, does not start.
 */
class KurrentDbTlsTest {

    @TempDir
    Path certificates;

    @Test
    void theEngineWritesAndReadsOverTlsVerifiedWithTheServersCa() {
        try (KurrentDbTestServer server = KurrentDbTestServer.startWithTls(certificates)) {
            assertThat(server.connectionString()).contains("tls=true&tlsCaFile=");
            KurrentDbProperties properties = KurrentDbProperties.of(server.connectionString())
                    .withOperationTimeout(Duration.ofSeconds(5));
            try (KurrentDbConnection connection = new KurrentDbConnection(properties.connectionString(),
                    properties.operationTimeout())) {
                connection.verifyReachable();
                Serializer snapshots = EventStorageContract.snapshotSerializer();
                KurrentDbEventStorageEngine engine = KurrentDbEventStoreConfiguration.create(connection, properties,
                        EventStorageContract.eventSerializer(snapshots), snapshots, SnapshotFilter.allowAll());
                String caseId = UUID.randomUUID().toString();

                engine.appendEvents(new GenericDomainEventMessage<>("Case", caseId, 0,
                        CaseAccepted.newBuilder().setCaseId(caseId).setNote("over TLS").build()));

                assertThat(engine.readEvents(caseId).asStream().map(e -> ((CaseAccepted) e.getPayload()).getNote()))
                        .containsExactly("over TLS");
            }
        }
    }

    @Test
    void aPlaintextClientOrOneThatCannotVerifyTheServerDoesNotStart() {
        try (KurrentDbTestServer server = KurrentDbTestServer.startWithTls(certificates)) {
            String plaintext = server.connectionString().replaceAll("tls=true&tlsCaFile=[^&]*", "tls=false");
            String untrusted = server.connectionString().replaceAll("&tlsCaFile=[^&]*", "");
            for (String connectionString : new String[] {plaintext, untrusted}) {
                try (KurrentDbConnection connection = new KurrentDbConnection(connectionString, Duration.ofSeconds(3))) {
                    assertThatThrownBy(connection::verifyReachable).as(connectionString)
                            .isInstanceOf(IllegalStateException.class).hasMessageContaining("KurrentDB is not reachable at");
                }
            }
        }
    }
}
