package org.minqing.bench;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.minqing.api.v1.GetCaseRequest;

/**
 * Measures projection lag on a sample of acknowledged commands: a probe thread that is free takes the
 * latest acknowledgement and polls GetCase until the case summary shows that revision. The figure
 * includes up to one poll interval (≈1 ms plus one GetCase round trip).
 */
final class LagProbe implements AutoCloseable {

    private record Ack(String name, long revision, long ackNanos) {
    }

    private final SynchronousQueue<Ack> handoff = new SynchronousQueue<>();
    private final Latencies lag = new Latencies();
    private final Thread[] threads;
    private volatile boolean running = true;

    LagProbe(Rpc rpc, int probes) {
        threads = new Thread[probes];
        for (int i = 0; i < probes; i++) {
            threads[i] = new Thread(() -> probe(rpc), "lag-probe-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Offers an acknowledgement; dropped unless a probe is idle (so probing never queues). */
    void acknowledged(CaseRun run) {
        handoff.offer(new Ack(run.name, run.revision, System.nanoTime()));
    }

    private void probe(Rpc rpc) {
        while (running) {
            Ack ack;
            try {
                ack = handoff.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (ack == null) {
                continue;
            }
            long deadline = ack.ackNanos + TimeUnit.SECONDS.toNanos(60);
            while (running && System.nanoTime() < deadline) {
                try {
                    long revision = rpc.queries.withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getCase(GetCaseRequest.newBuilder().setName(ack.name).build()).getRevision();
                    if (revision >= ack.revision) {
                        lag.record((System.nanoTime() - ack.ackNanos) / 1000);
                        break;
                    }
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                        lag.error(e);
                        break;
                    }
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    Latencies latencies() {
        return lag;
    }

    @Override
    public void close() {
        running = false;
    }
}
