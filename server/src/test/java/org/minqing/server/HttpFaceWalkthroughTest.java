package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the curl walk-through of docs/http.md as written, with curl and bash, against a server on
 * its HTTP port, and checks each answer against the {@code # →} line under its command
 * ({@code …} stands for anything): the document cannot drift from the server.
 */
class HttpFaceWalkthroughTest {

    private static final String EXPECTED = "# → ";

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
    void theCurlWalkThroughAnswersAsDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "http.md"));
        int section = doc.indexOf("## One case's life with curl");
        int start = doc.indexOf("```sh\n", section) + "```sh\n".length();
        String block = doc.substring(start, doc.indexOf("```", start));
        List<String> expected = block.lines().map(String::strip).filter(line -> line.startsWith(EXPECTED))
                .map(line -> line.substring(EXPECTED.length())).toList();
        assertThat(expected).as("answers shown in the walk-through").hasSizeGreaterThanOrEqualTo(8);
        assertThat(block).contains("H=http://127.0.0.1:8080");

        String script = "set -euo pipefail\n" + block.replace("H=http://127.0.0.1:8080", "H=http://127.0.0.1:" + server.httpPort());
        Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).as("the walk-through finished within a minute").isTrue();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as("exit status of the walk-through; it printed:%n%s", output).isZero();

        List<String> answers = output.lines().toList();
        assertThat(answers).as("one answer line per command shown").hasSameSizeAs(expected);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (!pattern(expected.get(i)).matcher(answers.get(i)).find()) {
                mismatches.add("expected " + expected.get(i) + "\n     got " + answers.get(i));
            }
        }
        assertThat(mismatches).as("answers that differ from docs/http.md").isEmpty();
    }

    /** The shown answer as a pattern: literal text, {@code …} for anything. */
    private static Pattern pattern(String shown) {
        StringBuilder regex = new StringBuilder();
        for (String part : shown.split("…", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*?");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
