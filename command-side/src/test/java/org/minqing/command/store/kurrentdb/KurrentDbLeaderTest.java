package org.minqing.command.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.minqing.kurrentdb.testserver.KurrentDbTestServer;

/** Pointed at a follower, the engine does not start, and says where the leader is. */
class KurrentDbLeaderTest {

    @Test
    void startUpOnAFollowerFailsNamingTheLeader() {
        try (KurrentDbTestServer leader = KurrentDbTestServer.start();
             KurrentDbTestServer follower = KurrentDbTestServer.start();
             KurrentDbConnection connection = new KurrentDbConnection(follower.connectionString(), Duration.ofSeconds(2))) {
            follower.followerOf(leader.port());

            assertThatThrownBy(connection::verifyReachable)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is a follower; the leader is at")
                    .hasMessageContaining(":" + leader.port())
                    .hasMessageContaining("kurrentdb+discover://");
        }
    }
}
