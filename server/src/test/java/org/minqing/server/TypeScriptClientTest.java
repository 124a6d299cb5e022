package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the TypeScript client (clients/typescript: generated from the .proto files by buf and
 * protoc-gen-es, compiled by tsc) and runs its tests against a server's HTTP port: one case's
 * life, a replay, a verification and the refusals, through the generated code over real sockets.
 */
class TypeScriptClientTest {

    private static final Path CLIENT = Path.of("..", "clients", "typescript");

    @TempDir
    static Path dataDir;
    static MinqingServer server;

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theGeneratedClientWalksACaseThroughItsLife() throws Exception {
        run(List.of("npm", "ci", "--no-audit", "--no-fund"), 5);
        run(List.of("npm", "run", "build"), 5);
        String tests = run(List.of("npm", "test"), 3);
        assertThat(tests).contains("# pass 2", "# fail 0");
    }

    private static String run(List<String> command, int minutes) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dataDir, "npm", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MINQING_HTTP", "http://127.0.0.1:" + server.httpPort());
        Process process = builder.start();
        boolean exited = process.waitFor(minutes, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as("%s finished within %d minutes; it printed:%n%s", command, minutes, printed).isTrue();
        assertThat(process.exitValue()).as("exit status of %s; it printed:%n%s", command, printed).isZero();
        return printed;
    }
}
