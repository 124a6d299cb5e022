package org.minqing.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import com.google.protobuf.Message;
import com.google.protobuf.util.Timestamps;
import org.HdrHistogram.Histogram;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.minqing.api.v1.*;

/**
 * Scenarios 4 and 5 on one data set. ≥1,000,000 cases are bulk-generated straight into the store through
 * the storage engine (not through gRPC: that would take hours here), the server starts on it with empty
 * read models and rebuilds them all from the log (scenario 4), then list/filter/page queries run while
 * the command mix writes (scenario 5).
 */
final class LargeScenario {

    private final Options options;
    private final Path work;

    LargeScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        long cases = options.count("cases", 1_000_000);
        long seed = options.seed();
        Report report = new Report("Scenarios 4–5: rebuild and reads over " + String.format("%,d", cases) + " cases",
                command);
        Path data = work.resolve("large");
        report.note("store: " + options.engineLabel());
        ServerProcess.prime(options.serverJar(), data, options.engineProperties());
        long events = 0;
        long start = System.nanoTime();
        try (Store store = Store.open(data, options)) {
            List<GenericDomainEventMessage<Message>> batch = new ArrayList<>();
            for (long n = 0; n < cases; n++) {
                batch.addAll(Events.bulkCase(seed, n));
                if (batch.size() >= 2000 || n == cases - 1) {
                    store.append(batch);
                    events += batch.size();
                    batch = new ArrayList<>();
                }
                if (n % 100_000 == 99_999) {
                    System.out.printf("bulk load: %,d cases, %,d events, %.0f s%n", n + 1, events,
                            (System.nanoTime() - start) / 1e9);
                }
            }
        }
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        Report.Table gen = report.table("Bulk generation (seeded, straight through the server's storage engine, "
                + "≈2,000 events per call, server stopped)", "cases", "events", "seconds", "events/s");
        gen.row(cases, events, loadSeconds, events / loadSeconds);
        gen.end();

        long lastCase = cases - 1;
        String lastName = "cases/" + Events.caseId(seed, lastCase);
        long lastRevision = Events.bulkCase(seed, lastCase).size();
        long launched = System.nanoTime();
        try (ServerProcess server = ServerProcess.start(options.serverJar(), data, List.of(), options.engineProperties());
             Rpc rpc = server.client()) {
            double rebuilt = awaitRebuilt(rpc, lastName, lastRevision, launched);
            double fromHealthy = rebuilt - server.startSeconds;
            Report.Table t = report.table("Rebuild of every read model (case summary, visits, timeline) from an "
                            + "empty state", "events in log", "launch → healthy s", "launch → rebuilt s",
                    "events/s (from launch)", "events/s (from healthy)");
            t.row(events, server.startSeconds, rebuilt, events / rebuilt, events / fromHealthy);
            t.end();
            report.note("rebuilt = the last case reported is in the case summary at its final revision and its "
                    + "timeline is complete; the processors start with the application, before health is SERVING; "
                    + "each of the two pooled processors (case-summary, case-timeline) reads the whole log");
            reads(rpc, report, seed, cases);
        }
        report.write(options.docs());
    }

    private static double awaitRebuilt(Rpc rpc, String name, long revision, long launched) throws InterruptedException {
        long lastPrint = System.nanoTime();
        while (true) {
            try {
                boolean summary = rpc.queries.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getCase(GetCaseRequest.newBuilder().setName(name).build()).getRevision() >= revision;
                if (summary && rpc.queries.withDeadlineAfter(30, TimeUnit.SECONDS).listTimelineEntries(
                        ListTimelineEntriesRequest.newBuilder().setParent(name).build())
                        .getTimelineEntriesCount() >= revision) {
                    return (System.nanoTime() - launched) / 1e9;
                }
            } catch (io.grpc.StatusRuntimeException notYet) {
                // not projected yet
            }
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(15)) {
                lastPrint = System.nanoTime();
                System.out.printf("rebuilding … %.0f s, newest case in the summary: %s%n",
                        (lastPrint - launched) / 1e9, newestReportTime(rpc));
            }
            Thread.sleep(200);
        }
    }

    private static String newestReportTime(Rpc rpc) {
        try {
            ListCasesResponse page = rpc.queries.listCases(ListCasesRequest.newBuilder().setPageSize(1).build());
            if (page.getCasesCount() == 0) {
                return "none";
            }
            long seconds = Timestamps.toSeconds(page.getCases(0).getReportTime()) - Events.EPOCH.getEpochSecond();
            return "#" + seconds / 3;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Scenario 5: a query mix in closed loop while the command mix writes in closed loop. */
    private void reads(Rpc rpc, Report report, long seed, long cases) throws Exception {
        double seconds = options.number("read-seconds", 30);
        int readers = (int) options.count("readers", 4);
        int writers = (int) options.count("writers", 8);
        Map<String, Function<SplittableRandom, Object>> kinds = queries(rpc, seed, cases);
        Map<String, Latencies> latencies = new LinkedHashMap<>();
        kinds.keySet().forEach(k -> latencies.put(k, new Latencies()));
        AtomicBoolean stop = new AtomicBoolean();
        Load.Result[] write = new Load.Result[1];
        Thread writer = new Thread(() -> {
            try {
                write[0] = Load.closedLoop("write", writers, Workloads.cases(rpc, "rw", seed), 5, seconds);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "writer");
        writer.start();
        Thread.sleep(5_000); // the writers' warm-up
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        List<String> names = new ArrayList<>(kinds.keySet());
        for (int r = 0; r < readers; r++) {
            SplittableRandom random = new SplittableRandom(seed + r);
            int offset = r * names.size() / readers;
            Thread t = new Thread(() -> {
                // Each reader starts at a different query kind, so one slow kind cannot starve the others.
                for (int i = offset; System.nanoTime() < end && !stop.get(); i++) {
                    String kind = names.get(i % names.size());
                    long t0 = System.nanoTime();
                    try {
                        kinds.get(kind).apply(random);
                        latencies.get(kind).record((System.nanoTime() - t0) / 1000);
                    } catch (RuntimeException e) {
                        latencies.get(kind).error(e);
                    }
                }
            }, "reader-" + r);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        writer.join();
        Report.Table t = report.table("Queries over " + String.format("%,d", cases) + " cases, " + readers
                        + " readers in closed loop, while " + writers + " writers run the command mix",
                "query", "calls", "calls/s", "p50 ms", "p99 ms", "max ms", "errors");
        latencies.forEach((kind, lat) -> {
            Histogram h = lat.histogram();
            t.row(kind, lat.completed(), lat.completed() / seconds, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, lat.errorSummary());
        });
        Load.Result w = write[0];
        t.row("(writes: command mix)", w.calls(), w.rate(), w.p(50), w.p(99), w.max(), w.errors());
        t.end();
    }

    private static Map<String, Function<SplittableRandom, Object>> queries(Rpc rpc, long seed, long cases) {
        var q = rpc.queries;
        Map<String, Function<SplittableRandom, Object>> kinds = new LinkedHashMap<>();
        kinds.put("GetCase (random case)", r -> q.getCase(GetCaseRequest.newBuilder()
                .setName("cases/" + Events.caseId(seed, r.nextLong(cases))).build()));
        kinds.put("ListCases district, newest first, 50", r -> q.listCases(ListCasesRequest.newBuilder()
                .setDistrict(CaseRun.DISTRICTS[r.nextInt(CaseRun.DISTRICTS.length)]).setPageSize(50).build()));
        kinds.put("ListCases district, page 2 (token)", r -> {
            ListCasesRequest first = ListCasesRequest.newBuilder()
                    .setDistrict(CaseRun.DISTRICTS[r.nextInt(CaseRun.DISTRICTS.length)]).setPageSize(50).build();
            String token = q.listCases(first).getNextPageToken();
            return q.listCases(first.toBuilder().setPageToken(token).build());
        });
        kinds.put("ListCases state ACCEPTED, update_time desc", r -> q.listCases(ListCasesRequest.newBuilder()
                .addStates(CaseState.CASE_STATE_ACCEPTED).setOrderBy("update_time desc").setPageSize(50).build()));
        kinds.put("ListCases department + overdue_only", r -> q.listCases(ListCasesRequest.newBuilder()
                .setDepartment(new String[]{"water-bureau", "power-bureau", "roads-bureau"}[r.nextInt(3)])
                .setOverdueOnly(true).setPageSize(50).build()));
        kinds.put("ListCases category + one-day report window", r -> {
            Instant from = Events.EPOCH.plusSeconds(r.nextLong(Math.max(1, cases * 3 - 86_400)));
            return q.listCases(ListCasesRequest.newBuilder()
                    .setCategory(CaseRun.CATEGORIES[r.nextInt(CaseRun.CATEGORIES.length)])
                    .setReportTimeFrom(Timestamps.fromMillis(from.toEpochMilli()))
                    .setReportTimeTo(Timestamps.fromMillis(from.plusSeconds(86_400).toEpochMilli()))
                    .setPageSize(50).build());
        });
        kinds.put("ListCases grid, resolution_deadline asc", r -> {
            String district = CaseRun.DISTRICTS[r.nextInt(CaseRun.DISTRICTS.length)];
            return q.listCases(ListCasesRequest.newBuilder().setDistrict(district)
                    .setGrid(district + "-" + String.format("%03d", r.nextInt(40)))
                    .setOrderBy("resolution_deadline asc").setPageSize(50).build());
        });
        return kinds;
    }
}
