package org.minqing.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Message;
import org.HdrHistogram.Histogram;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.api.v1.GetCaseRequest;

/**
 * Scenario 6: the cost of loading a long history. Cases of 2, 1,000 and 10,000 events are written into
 * the store directly (server stopped), then each gets AddProgressNote commands, whose handling loads
 * the aggregate, once with snapshots off and once with the server's default snapshot trigger.
 */
final class HistoriesScenario {

    private final Options options;
    private final Path work;

    HistoriesScenario(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    void run(String command) throws Exception {
        int[] lengths = options.ints("lengths", "2,1000,10000");
        int repeats = (int) options.count("repeats", 30);
        Report report = new Report("Scenario 6: long histories", command);
        report.note("store: " + options.engineLabel());
        Report.Table t = report.table("AddProgressNote on a case with a long history (the aggregate is loaded "
                        + "from its snapshot, if any, and the events after it)", "snapshots", "events in history",
                "first command ms", "next " + repeats + ": p50 ms", "p99 ms", "max ms");
        // minqing.snapshots.event-count: 0 turns snapshots off; servers without the setting ignore it.
        Map<String, List<String>> modes = new LinkedHashMap<>();
        modes.put("off", List.of("minqing.snapshots.event-count=0"));
        modes.put("server default (every 100 events)", List.of());
        int run = 0;
        for (Map.Entry<String, List<String>> mode : modes.entrySet()) {
            Path data = work.resolve("histories-" + run++);
            ServerProcess.prime(options.serverJar(), data, options.engineProperties());
            String[] ids = new String[lengths.length];
            try (Store store = Store.open(data, options)) {
                for (int i = 0; i < lengths.length; i++) {
                    ids[i] = Events.caseId(options.seed(), 900_000_000L + i);
                    write(store, ids[i], lengths[i]);
                }
            }
            List<String> properties = new ArrayList<>(options.engineProperties());
            properties.addAll(mode.getValue());
            try (ServerProcess server = ServerProcess.start(options.serverJar(), data, List.of(), properties);
                 Rpc rpc = server.client()) {
                awaitProjected(rpc, ids[ids.length - 1], lengths[lengths.length - 1]);
                for (int i = 0; i < lengths.length; i++) {
                    String name = "cases/" + ids[i];
                    double first = note(rpc, name, "h" + i + "-first") / 1000.0;
                    Histogram h = new Histogram(3_600_000_000L, 3);
                    for (int r = 0; r < repeats; r++) {
                        h.recordValue(note(rpc, name, "h" + i + "-" + r));
                    }
                    t.row(mode.getKey(), lengths[i], first, h.getValueAtPercentile(50) / 1000.0,
                            h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
                }
            }
        }
        t.end();
        report.note("histories written directly through the storage engine (1 report, 1 accept, then progress "
                + "notes), without snapshots; with snapshots on, the first command loads the whole history and "
                + "triggers a snapshot that the next ones start from. No aggregate cache is configured.");
        report.write(options.docs());
    }

    private static void write(Store store, String caseId, int length) {
        SplittableRandom random = new SplittableRandom(length);
        List<GenericDomainEventMessage<Message>> batch = new ArrayList<>();
        for (int seq = 0; seq < length; seq++) {
            Instant at = Events.EPOCH.plusSeconds(seq);
            batch.add(seq == 0 ? Events.event(caseId, 0, Events.reported(caseId, length, random, at), at)
                    : seq == 1 ? Events.accepted(caseId, at) : Events.note(caseId, seq, at));
            if (batch.size() == 1000) {
                store.append(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            store.append(batch);
        }
    }

    /** Waits for the projections to take in the loaded histories, so they do not compete with the commands. */
    private static void awaitProjected(Rpc rpc, String caseId, long revision) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                if (rpc.queries.getCase(GetCaseRequest.newBuilder().setName("cases/" + caseId).build())
                        .getRevision() >= revision) {
                    return;
                }
            } catch (io.grpc.StatusRuntimeException notYet) {
                // not projected yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("projections did not catch up with the loaded histories");
    }

    /** @return the command's latency in µs */
    private static long note(Rpc rpc, String name, String requestId) {
        long start = System.nanoTime();
        rpc.commands.withDeadlineAfter(120, TimeUnit.SECONDS).addProgressNote(AddProgressNoteRequest.newBuilder()
                .setName(name).setRequestId(requestId).setNote("Checked again").build());
        return (System.nanoTime() - start) / 1000;
    }
}
