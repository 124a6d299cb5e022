package org.minqing.command.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.command.store.EventStorageContract;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/**
 * A server that checks credentials, as a secure one does: the user and password come from the
 * connection string, and tracking {@code $all} takes a user the server lets read it. Start-up
 * says which of the two is wrong.
 */
class KurrentDbCredentialsTest {

    KurrentDbTestServer server;
    KurrentDbConnection connection;

    @BeforeEach
    void start() {
        server = KurrentDbTestServer.start();
        server.requireUser("admin", "changeit", true);
        server.requireUser("clerk", "secret", false);
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            connection.close();
        }
        server.close();
    }

    @Test
    void anAdministratorAppendsAndTracksTheLog() {
        KurrentDbEventStorageEngine engine = engine("admin:changeit");
        connection.verifyReachable();
        String caseId = UUID.randomUUID().toString();
        engine.appendEvents(new GenericDomainEventMessage<>("Case", caseId, 0,
                CaseAccepted.newBuilder().setCaseId(caseId).setNote("n0").build()));
        try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(null, false)) {
            assertThat(events.map(event -> ((CaseAccepted) event.getPayload()).getNote())).containsExactly("n0");
        }
    }

    @Test
    void aWrongPasswordIsNamedAtStartUp() {
        engine("admin:wrong");
        assertThatThrownBy(connection::verifyReachable).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the user and password").hasMessageContaining("admin:***@")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void aUserWhoMayNotReadAllIsToldWhatTheProjectionsNeed() {
        engine("clerk:secret");
        assertThatThrownBy(connection::verifyReachable).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not let this user read $all").hasMessageContaining("$admins or $ops");
    }

    @Test
    void noCredentialsAreRefused() {
        engine(null);
        assertThatThrownBy(connection::verifyReachable).hasMessageContaining("refused the user and password");
    }

    private KurrentDbEventStorageEngine engine(String credentials) {
        String url = server.connectionString();
        if (credentials != null) {
            url = url.replace("kurrentdb://", "kurrentdb://" + credentials + "@");
        }
        KurrentDbProperties properties = KurrentDbProperties.of(url).withOperationTimeout(Duration.ofSeconds(5));
        connection = new KurrentDbConnection(properties.connectionString(), properties.operationTimeout());
        Serializer snapshots = EventStorageContract.snapshotSerializer();
        return KurrentDbEventStoreConfiguration.create(connection, properties,
                EventStorageContract.eventSerializer(snapshots), snapshots, SnapshotFilter.allowAll());
    }
}
