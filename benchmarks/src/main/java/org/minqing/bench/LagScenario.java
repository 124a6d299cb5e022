package org.minqing.bench;

import java.nio.file.Path;
import java.util.List;

import org.HdrHistogram.Histogram;

/** Scenario 3: projection lag (acknowledgement → visible in GetCase) at half the max command rate. */
final class LagScenario {

    private final Options options;
    private final Path work;

    LagScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        double seconds = options.number("seconds", 30);
        Report report = new Report("Scenario 3: projection lag", command);
        report.note("store: " + options.engineLabel());
        try (ServerProcess server = ServerProcess.start(options.serverJar(), work.resolve("lag"), List.of(),
                options.engineProperties());
             Rpc rpc = server.client()) {
            double max = options.number("max-rate", 0);
            if (max <= 0) {
                System.out.println("finding the max rate (closed loop, 64 in flight) …");
                max = Load.closedLoop("max", 64, Workloads.cases(rpc, "max", options.seed()), 5, 15).rate();
            }
            double rate = Math.max(1, Math.round(max / 2));
            System.out.println("open loop at " + rate + "/s with lag probes …");
            Load.Result load;
            Histogram lag;
            String lagErrors;
            try (LagProbe probe = new LagProbe(rpc, 2)) {
                load = Load.openLoop("open", rate, Workloads.cases(rpc, "lag", options.seed()), 5, seconds,
                        w -> probe.acknowledged(((Workloads.CaseWork) w).run));
                lag = probe.latencies().histogram();
                lagErrors = probe.latencies().errorSummary();
            }
            Report.Table t = report.table("Projection lag: command acknowledged → GetCase (case summary) shows its "
                            + "revision", "max commands/s (closed, 64)", "load commands/s (open loop, 50%)",
                    "command p50 ms", "command p99 ms", "lag samples", "lag p50 ms", "lag p99 ms", "lag max ms",
                    "probe errors");
            t.row(max, load.rate(), load.p(50), load.p(99), lag.getTotalCount(),
                    lag.getValueAtPercentile(50) / 1000.0, lag.getValueAtPercentile(99) / 1000.0,
                    lag.getMaxValue() / 1000.0, lagErrors);
            t.end();
            report.note("lag includes up to one probe poll (1 ms sleep + a GetCase round trip); probes are 2 threads "
                    + "taking the latest acknowledgement whenever free; the timeline read model is not probed");
        }
        report.write(options.docs());
    }
}
