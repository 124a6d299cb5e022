package org.minqing.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point: {@code java -jar benchmarks/target/minqing-benchmarks.jar <scenario> [--name=value…]},
 * run from the repository root after {@code ./mvnw -DskipTests package}. Each scenario starts its own
 * server process(es) on temporary data directories, prints its tables and appends them to
 * docs/benchmarks.md.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("""
                    usage: java -jar benchmarks/target/minqing-benchmarks.jar <scenario> [--name=value ...]
                      throughput  1+2: command mix closed/open loop, no-op and raw-append ceilings (--profile=true: JFR)
                      lag         3: projection lag at 50% of the max command rate
                      large       4+5: bulk-load ≥1M cases, rebuild rate, list/filter/page queries under write load
                      histories   6: load time of cases with 1,000 and 10,000 events
                      footprint   7: start-up to healthy, RSS idle and under load
                      crash       kill -9 under load, restart, check the log and read models (--cycles=50 --lanes=8)
                      audit       the Merkle log over --events=1000000: growth, inclusion proofs, offline verification
                      h2-commits  the embedded store alone killed while committing: torn transactions (--cycles=200 --lock=none)
                      all         every scenario in turn
                    common options: --seed=N --server-jar=server/target/minqing.jar --docs=docs/benchmarks.md""");
            System.exit(2);
        }
        if (args[0].equals("h2-commits-child")) {
            H2CommitScenario.child(Path.of(args[1]), H2CommitScenario.Turns.valueOf(args[2]));
            return;
        }
        String command = "java -jar benchmarks/target/minqing-benchmarks.jar " + String.join(" ", args);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        Options options = new Options(rest);
        if (!Files.isRegularFile(options.serverJar())) {
            throw new IllegalStateException(options.serverJar() + " not found: run ./mvnw -DskipTests package first, "
                    + "from the repository root");
        }
        Path work = Files.createTempDirectory("minqing-bench-");
        try {
            switch (args[0]) {
                case "throughput" -> new ThroughputScenario(options, work).run(command);
                case "lag" -> new LagScenario(options, work).run(command);
                case "large" -> new LargeScenario(options, work).run(command);
                case "histories" -> new HistoriesScenario(options, work).run(command);
                case "footprint" -> new FootprintScenario(options, work).run(command);
                case "crash" -> new CrashScenario(options, work).run(command);
                case "audit" -> new AuditScenario(options, work).run(command);
                case "h2-commits" -> new H2CommitScenario(options, work).run(command);
                case "all" -> {
                    new FootprintScenario(options, work).run(command + " (footprint)");
                    new ThroughputScenario(options, work).run(command + " (throughput)");
                    new LagScenario(options, work).run(command + " (lag)");
                    new HistoriesScenario(options, work).run(command + " (histories)");
                    new LargeScenario(options, work).run(command + " (large)");
                }
                default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
            }
        } finally {
            if (!options.flag("keep")) {
                TempFiles.delete(work);
            }
        }
        System.exit(0); // gRPC and Hikari threads must not keep the harness alive
    }
}
