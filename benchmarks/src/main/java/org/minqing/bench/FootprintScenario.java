package org.minqing.bench;

import java.nio.file.Path;
import java.util.List;

/** Scenario 7: start-up time to healthy, and resident memory idle, under load and after it. */
final class FootprintScenario {

    private final Options options;
    private final Path work;

    FootprintScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        int starts = (int) options.count("starts", 3);
        double loadSeconds = options.number("seconds", 20);
        Report report = new Report("Scenario 7: footprint", command);
        report.note("store: " + options.engineLabel() + (options.kurrentDb()
                ? "; the test server runs in the harness, so its memory is not in the server's RSS" : ""));
        Report.Table t = report.table("Start-up and resident memory (server without heap limit, default JVM flags)",
                "start", "data", "launch → health SERVING s", "RSS idle MiB (10 s after healthy)",
                "RSS peak under load MiB", "load", "RSS after load MiB");
        Path data = work.resolve("footprint");
        for (int i = 1; i <= starts; i++) {
            try (ServerProcess server = ServerProcess.start(options.serverJar(), data, List.of(),
                    options.engineProperties())) {
                Thread.sleep(10_000);
                double idle = server.rssKiB() / 1024.0;
                if (i < starts) {
                    t.row(i, i == 1 ? "empty" : "as left by start " + (i - 1), server.startSeconds, idle, "", "", "");
                    continue;
                }
                double peak;
                Load.Result load;
                try (Rpc rpc = server.client(); RssSampler rss = new RssSampler(server)) {
                    load = Load.closedLoop("load", 64, Workloads.cases(rpc, "fp" + i, options.seed()), 2, loadSeconds);
                    peak = rss.peakMiB();
                }
                Thread.sleep(5_000);
                t.row(i, "as left by start " + (i - 1), server.startSeconds, idle, peak,
                        String.format("closed loop, 64 in flight, %.0f commands/s for %.0f s", load.rate(), loadSeconds),
                        server.rssKiB() / 1024.0);
            }
        }
        t.end();
        report.write(options.docs());
    }
}
