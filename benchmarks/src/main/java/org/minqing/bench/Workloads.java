package org.minqing.bench;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import org.minqing.api.v1.CaseChange;

/** The units of work the load drivers send: case lifecycles, and the no-op call of the ceiling. */
final class Workloads {

    private Workloads() {
    }

    /** A case's life as work; every case's choices come from (seed, case number) alone. */
    static final class CaseWork implements Load.Work {
        final CaseRun run;
        private final Rpc rpc;

        CaseWork(Rpc rpc, CaseRun run) {
            this.rpc = rpc;
            this.run = run;
        }

        @Override
        public ListenableFuture<?> send() {
            return run.send(rpc);
        }

        @Override
        public boolean completed(Object answer) {
            run.completed((CaseChange) answer);
            return !run.finished();
        }
    }

    static Supplier<Load.Work> cases(Rpc rpc, String runId, long seed) {
        AtomicLong counter = new AtomicLong();
        return () -> {
            long n = counter.getAndIncrement();
            return new CaseWork(rpc, new CaseRun(runId + "-" + n, new SplittableRandom(seed * 1_000_003L + n)));
        };
    }

    /** The standard health Check: the cheapest unary call the server answers (no auth, no store). */
    static Supplier<Load.Work> noop(Rpc rpc) {
        HealthGrpc.HealthFutureStub stub = HealthGrpc.newFutureStub(rpc.channel);
        HealthCheckRequest request = HealthCheckRequest.getDefaultInstance();
        return () -> new Load.Work() {
            @Override
            public ListenableFuture<?> send() {
                return stub.check(request);
            }

            @Override
            public boolean completed(Object answer) {
                return true;
            }
        };
    }
}
