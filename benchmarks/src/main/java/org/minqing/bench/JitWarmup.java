package org.minqing.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Loads the server until its JIT has settled: closed-loop rounds of ten seconds at 8 in flight,
 * until the server's compiler threads used less than {@code settled} of a core during the last
 * round (read from its HotSpot counters with {@code jcmd PerfCounter.print}), but at least
 * {@code minSeconds} and at most {@code maxSeconds}. On two cores a fixed minute or two was not
 * enough: the compilers still took a fifth of the server's CPU two minutes after start.
 */
final class JitWarmup {

    private static final double ROUND_SECONDS = 10;

    private final long pid;
    private final List<String> shares = new ArrayList<>();
    private double seconds;
    private double rate;
    private boolean settled;

    private JitWarmup(long pid) {
        this.pid = pid;
    }

    static JitWarmup run(long pid, Supplier<Load.Work> work, double minSeconds, double maxSeconds, double settled)
            throws Exception {
        JitWarmup warmup = new JitWarmup(pid);
        long calls = 0;
        double compiled = warmup.compilerSeconds();
        while (warmup.seconds < maxSeconds) {
            Load.Result round = Load.closedLoop("jit warm-up", 8, work, 0, ROUND_SECONDS);
            double now = warmup.compilerSeconds();
            double share = (now - compiled) / round.seconds();
            compiled = now;
            calls += round.calls();
            warmup.seconds += round.seconds();
            warmup.shares.add(String.format("%.0f%%", share * 100));
            System.out.printf("JIT warm-up: %.0f s, compilers at %.0f%% of a core in the last round%n", warmup.seconds,
                    share * 100);
            if (warmup.seconds >= minSeconds && share < settled) {
                warmup.settled = true;
                break;
            }
        }
        warmup.rate = calls / warmup.seconds;
        return warmup;
    }

    /** The line for the report. */
    String describe(double settledShare) {
        return String.format("JIT warm-up before the rounds: %.0f s closed loop at 8 in flight (%.0f commands/s, not "
                        + "counted), %s; the compilers' share of a core per 10 s round: %s", seconds, rate,
                settled ? String.format("settled below %.0f%% of a core", settledShare * 100)
                        : "stopped at the limit, not settled", String.join(", ", shares));
    }

    /** The server's compiler threads' time so far (HotSpot's {@code java.ci.totalTime}, in ticks). */
    private double compilerSeconds() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "PerfCounter.print")
                .redirectErrorStream(true).start();
        String counters = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return counter(counters, "java.ci.totalTime") / counter(counters, "sun.os.hrt.frequency");
    }

    private static double counter(String counters, String name) {
        for (String line : counters.split("\n")) {
            if (line.startsWith(name + "=")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new IllegalStateException("the server's counters have no " + name + ": " + counters.lines().findFirst().orElse(""));
    }
}
