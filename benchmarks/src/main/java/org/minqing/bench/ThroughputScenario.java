package org.minqing.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenarios 1 and 2: the command mix closed-loop at fixed concurrency and open-loop at fixed rates,
 * each next to the in-run ceilings: the no-op unary call (gRPC health Check) on the same server at
 * the same concurrency, and raw appends through the same storage engine.
 */
final class ThroughputScenario {

    private final Options options;
    private final Path work;

    ThroughputScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        double warmup = options.number("warmup", 5);
        double jitWarmup = options.number("jit-warmup", 300);
        double jitSettled = options.number("jit-settled", 0.05);
        double seconds = options.number("seconds", 20);
        int[] concurrencies = options.ints("concurrency", "1,8,64");
        double[] fractions = options.numbers("rates", "0.5,0.9");
        boolean profile = options.flag("profile");
        Report report = new Report("Scenarios 1–2: command throughput and latency, with ceilings", command);
        Path jfr = work.resolve("scenario1.jfr");
        List<String> jvm = profile
                ? List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true")
                : List.of();
        List<Load.Result> closed = new ArrayList<>();
        Map<Integer, Load.Result> noop = new HashMap<>();
        List<Load.Result> open = new ArrayList<>();
        Instant loadStart;
        Instant loadEnd;
        double peakRss;
        try (ServerProcess server = ServerProcess.start(options.serverJar(), work.resolve("throughput"), jvm,
                options.engineProperties());
             Rpc rpc = server.client();
             RssSampler rss = new RssSampler(server)) {
            report.note("store: " + options.engineLabel());
            report.note("server healthy " + String.format("%.1f", server.startSeconds) + " s after launch");
            if (jitWarmup > 0) {
                // Measured rounds begin once the JIT has settled (docs/benchmarks.md, "Method").
                JitWarmup w = JitWarmup.run(server.process.pid(), Workloads.cases(rpc, "w", options.seed()),
                        Math.min(30, jitWarmup), jitWarmup, jitSettled);
                report.note(w.describe(jitSettled));
            }
            loadStart = Instant.now();
            int run = 0;
            for (int c : concurrencies) {
                System.out.println("closed loop, " + c + " in flight …");
                closed.add(Load.closedLoop("closed, " + c + " in flight", c,
                        Workloads.cases(rpc, "c" + c + "r" + run++, options.seed()), warmup, seconds));
                System.out.println("no-op ceiling, " + c + " in flight …");
                noop.put(c, Load.closedLoop("no-op", c, Workloads.noop(rpc), 2, Math.min(seconds, 10)));
            }
            double max = closed.stream().mapToDouble(Load.Result::rate).max().orElse(0);
            for (double f : fractions) {
                double rate = Math.max(1, Math.round(max * f));
                System.out.println("open loop at " + rate + "/s …");
                open.add(Load.openLoop(String.format("open, %.0f/s (%.0f%% of max)", rate, f * 100), rate,
                        Workloads.cases(rpc, "o" + run++, options.seed()), warmup, seconds, null));
            }
            loadEnd = Instant.now();
            peakRss = rss.peakMiB();
        }
        Report.Table table = report.table("Command mix (11–14 commands per case, one event each) over loopback gRPC",
                "run", "commands/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "max in flight",
                "no-op calls/s (same concurrency)", "ratio to no-op");
        for (int i = 0; i < closed.size(); i++) {
            Load.Result r = closed.get(i);
            Load.Result n = noop.get(concurrencies[i]);
            table.row(r.label(), r.rate(), r.p(50), r.p(95), r.p(99), r.max(), r.errors(), r.maxInFlight(),
                    n.rate(), String.format("%.3f", r.rate() / n.rate()));
        }
        for (Load.Result r : open) {
            table.row(r.label(), r.rate(), r.p(50), r.p(95), r.p(99), r.max(), r.errors(), r.maxInFlight(), "", "");
        }
        table.end();
        Report.Table ceiling = report.table("In-run ceiling: no-op unary gRPC (grpc.health.v1.Health/Check)",
                "in flight", "calls/s", "p50 ms", "p99 ms");
        for (int c : concurrencies) {
            Load.Result n = noop.get(c);
            ceiling.row(c, n.rate(), n.p(50), n.p(99));
        }
        ceiling.end();

        int events = (int) options.count("append-events", 20_000);
        System.out.println("raw appends …");
        double perTx1 = RawAppend.run(work.resolve("append-1"), options.seed(), events, 1, 1);
        double perTx8 = RawAppend.run(work.resolve("append-8"), options.seed(), events, 1, 8);
        double batched = RawAppend.run(work.resolve("append-b"), options.seed(), events * 5, 100, 1);
        Report.Table store = report.table("In-run ceiling: raw appends through the same JdbcEventStorageEngine on a "
                + "fresh H2 file (in the harness process, server stopped)", "appends", "events", "events/s");
        store.row("one event per transaction, 1 writer", events, perTx1);
        store.row("one event per transaction, 8 writers", events, perTx8);
        store.row("100 events per transaction, 1 writer", events * 5, batched);
        store.end();
        Report.Table ratios = report.table("Command rate as a share of the store's raw append rate",
                "run", "commands/s", "raw per-transaction appends/s (same writers, 8 for 64)", "ratio");
        for (int i = 0; i < closed.size(); i++) {
            double raw = concurrencies[i] == 1 ? perTx1 : perTx8;
            ratios.row(closed.get(i).label(), closed.get(i).rate(), raw,
                    String.format("%.3f", closed.get(i).rate() / raw));
        }
        ratios.end();
        report.note(String.format("server RSS peak during the runs: %.0f MiB", peakRss));
        if (profile) {
            Profile.summarize(jfr, loadStart, loadEnd, report, (int) options.count("top", 20));
            report.note("profile: JFR `settings=profile` on the server for the whole run above; samples "
                    + "between the first and last load only");
        }
        report.write(options.docs());
    }
}
