package org.minqing.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.google.protobuf.Message;
import org.axonframework.eventhandling.GenericDomainEventMessage;

/**
 * The store's ceiling: events appended straight through the server's EventStorageEngine on a fresh H2
 * file, with no gRPC, no command handling and no idempotency record. Cases of 1 report + 1 accept +
 * progress notes, so every append extends a case's history as the command mix does.
 */
final class RawAppend {

    private RawAppend() {
    }

    /** @return events/s; {@code perTransaction} events per transaction, {@code threads} writers on own cases */
    static double run(Path dataDir, long seed, int events, int perTransaction, int threads) throws Exception {
        try (Store store = Store.open(dataDir)) {
            int perThread = events / threads;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    List<GenericDomainEventMessage<Message>> batch = new ArrayList<>(perTransaction);
                    String caseId = null;
                    long seq = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (i % 12 == 0) { // a case's life is about a dozen events, as in the command mix
                            caseId = Events.caseId(seed, (long) thread << 32 | i);
                            seq = 0;
                        }
                        Instant at = Events.EPOCH.plusSeconds(i);
                        batch.add(seq == 0
                                ? Events.event(caseId, 0, Events.reported(caseId, i,
                                        new java.util.SplittableRandom(i), at), at)
                                : seq == 1 ? Events.accepted(caseId, at) : Events.note(caseId, seq, at));
                        seq++;
                        if (batch.size() == perTransaction) {
                            store.append(batch);
                            batch = new ArrayList<>(perTransaction);
                        }
                    }
                    if (!batch.isEmpty()) {
                        store.append(batch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            return perThread * (double) threads / seconds;
        }
    }
}
