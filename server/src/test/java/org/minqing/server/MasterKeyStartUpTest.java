package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.privacy.MasterKey;
import org.minqing.privacy.MasterKeyException;

/** A server never starts without its master key, nor with another key than the one that wrapped its data keys. */
class MasterKeyStartUpTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutAMasterKeyTheServerDoesNotStart() {
        assertThatThrownBy(() -> MinqingServer.start(dataDir, "minqing.privacy.master-key="))
                .rootCause().isInstanceOf(MasterKeyException.class)
                .hasMessageStartingWith("No master key for citizens' personal data: set minqing.privacy.master-key-file");
    }

    @Test
    void withAnotherMasterKeyThanTheOneThatWrappedItsKeysTheServerDoesNotStart() throws Exception {
        String first = MasterKey.generate();
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.privacy.master-key=" + first);
             MinqingClient dispatcher = server.client(MinqingClient.DEV_KEY)) {
            dispatcher.commands.reportCase(CaseLifecycleEndToEndTest.report("MK-" + MinqingClient.requestId()));
        }
        String other = MasterKey.generate();
        assertThatThrownBy(() -> MinqingServer.start(dataDir, "minqing.privacy.master-key=" + other))
                .rootCause().isInstanceOf(MasterKeyException.class)
                .asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining("did not wrap the personal-data keys in this database (wrapped by "
                        + MasterKey.parse(first, "test").id() + ")");
        try (MinqingServer server = MinqingServer.start(dataDir, "minqing.privacy.master-key=" + first)) {
            assertThat(server.context.isActive()).as("the right key still opens it").isTrue();
        }
    }
}
