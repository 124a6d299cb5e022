package org.minqing.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.minqing.crash.CrashRun;

/**
 * Crash recovery, the long mode of server's CrashRecoveryIT ({@link CrashRun}, module crash-check):
 * the server killed with SIGKILL at seeded random moments under lanes of partner traffic, restarted
 * on the same data each time, then every acknowledged command looked for in the log and both read
 * models compared with it.
 */
final class CrashScenario {

    private final Options options;
    private final Path work;

    CrashScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        int kills = (int) options.count("cycles", 50);
        int lanes = (int) options.count("lanes", 8);
        List<String> properties = new ArrayList<>(options.engineProperties());
        String extra = options.get("server-properties", "").trim();
        if (!extra.isEmpty()) {
            properties.addAll(Arrays.asList(extra.split("\\s+")));
        }
        Report report = new Report("Crash recovery: kill -9 under load", command);
        report.note("store: " + options.engineLabel() + (extra.isEmpty() ? "" : "; server properties: " + extra));
        Path data = work.resolve("crash");
        CrashRun.Result run = CrashRun.run(port -> ServerProcess.launch(options.serverJar(), data, List.of(),
                properties, port), kills, lanes, options.seed(), System.out);
        var verdict = run.verdict();
        Report.Table t = report.table("Kill -9 at a random moment 0.5–2.5 s after each start, restart on the same "
                        + "data; then the log and read models checked against every acknowledgement",
                "kills", "lanes", "acknowledged", "cases", "retried after no answer", "acknowledged resent", "lost",
                "applied twice", "chains broken", "read models behind", "refused", "run s");
        t.row(run.kills(), run.lanes(), verdict.acknowledged(), verdict.cases(), run.ledger().retriedUnanswered(),
                run.ledger().resent(), verdict.lost().size(), verdict.appliedTwice().size(),
                verdict.chainsBroken().size(), verdict.readModelsBehind().size(), run.ledger().refusals().size(),
                run.seconds());
        t.end();
        report.note("seed " + run.seed() + " (`--seed=` repeats the kill moments); exit status of the killed servers: "
                + run.killExitCodes().stream().distinct().sorted().toList() + " (137: SIGKILL); then one SIGTERM under "
                + "load: exit status " + run.stopExitCode() + " (143: a clean stop)");
        report.note("lost: acknowledged, but the log of its case has no event with its request id at the revision "
                + "the OK returned; applied twice: a request id on more events than one execution appends; read "
                + "models behind: GetCase revision or the timeline (sequences 0..n-1) not matching the log 30 s "
                + "after the lanes stopped; refused: a lane's next step refused (its case was not as acknowledged)");
        example(report, "lost", verdict.lost());
        example(report, "applied twice", verdict.appliedTwice());
        example(report, "chain broken", verdict.chainsBroken());
        example(report, "read models behind", verdict.readModelsBehind());
        example(report, "refused", run.ledger().refusals());
        report.write(options.docs());
    }

    private static void example(Report report, String kind, List<String> problems) {
        for (String problem : problems.subList(0, Math.min(3, problems.size()))) {
            report.note(kind + ", e.g.: " + problem.replace('|', '/'));
        }
    }
}
