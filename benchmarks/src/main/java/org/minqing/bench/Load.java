package org.minqing.bench;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import org.HdrHistogram.Histogram;

/**
 * Drives calls over the async stubs, closed-loop (a fixed number in flight, each lane sending its next
 * call when the previous answers) or open-loop (calls started on a fixed schedule whatever the server
 * does, latency measured from each call's intended start, so a stalled server cannot hide its queue:
 * no coordinated omission).
 */
final class Load {

    /** One unit of work: a call and what to do with its answer; {@code null} call means the unit is done. */
    interface Work {
        ListenableFuture<?> send();

        /** @return false when this work has no further calls */
        boolean completed(Object answer);
    }

    record Result(String label, long calls, double seconds, Histogram latency, String errors, int maxInFlight) {
        double rate() {
            return calls / seconds;
        }

        double p(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }

        double max() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
        }
    }

    /** Calls answered after {@code warmupSeconds} and before the end count; latency is per call. */
    static Result closedLoop(String label, int concurrency, Supplier<Work> newWork, double warmupSeconds,
                             double measureSeconds) throws InterruptedException {
        Latencies lat = new Latencies();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch lanes = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        long from = start + (long) (warmupSeconds * 1e9);
        long to = from + (long) (measureSeconds * 1e9);
        for (int i = 0; i < concurrency; i++) {
            new Object() {
                Work work = newWork.get();

                void fire() {
                    if (stop.get()) {
                        lanes.countDown();
                        return;
                    }
                    long sent = System.nanoTime();
                    Futures.addCallback(work.send(), new FutureCallback<Object>() {
                        @Override
                        public void onSuccess(Object answer) {
                            long now = System.nanoTime();
                            if (now >= from && now < to) {
                                lat.record((now - sent) / 1000);
                            }
                            if (!work.completed(answer)) {
                                work = newWork.get();
                            }
                            fire();
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            long now = System.nanoTime();
                            if (now >= from && now < to) {
                                lat.error(t);
                            }
                            work = newWork.get(); // abandon this case, start another
                            fire();
                        }
                    }, MoreExecutors.directExecutor());
                }
            }.fire();
        }
        sleepUntil(to);
        stop.set(true);
        lanes.await(120, TimeUnit.SECONDS);
        return new Result(label, lat.completed(), measureSeconds, lat.histogram(), lat.errorSummary(), concurrency);
    }

    /**
     * Starts calls at {@code ratePerSecond}, each taking the next step of a case whose previous call has
     * answered (or a new case). Latency runs from the call's scheduled time.
     */
    static Result openLoop(String label, double ratePerSecond, Supplier<Work> newWork, double warmupSeconds,
                           double measureSeconds, Consumer<Work> onAnswer) throws InterruptedException {
        Latencies lat = new Latencies();
        ConcurrentLinkedQueue<Work> ready = new ConcurrentLinkedQueue<>();
        AtomicInteger inFlight = new AtomicInteger();
        int maxInFlight = 0;
        long start = System.nanoTime();
        long from = start + (long) (warmupSeconds * 1e9);
        long to = from + (long) (measureSeconds * 1e9);
        double period = 1e9 / ratePerSecond;
        for (long i = 0; ; i++) {
            long intended = start + (long) (i * period);
            if (intended >= to) {
                break;
            }
            sleepUntil(intended);
            Work polled = ready.poll();
            Work work = polled != null ? polled : newWork.get();
            boolean measured = intended >= from;
            maxInFlight = Math.max(maxInFlight, inFlight.incrementAndGet());
            Futures.addCallback(work.send(), new FutureCallback<Object>() {
                @Override
                public void onSuccess(Object answer) {
                    if (measured) {
                        lat.record((System.nanoTime() - intended) / 1000);
                    }
                    boolean more = work.completed(answer);
                    if (onAnswer != null) {
                        onAnswer.accept(work);
                    }
                    if (more) {
                        ready.add(work);
                    }
                    inFlight.decrementAndGet();
                }

                @Override
                public void onFailure(Throwable t) {
                    if (measured) {
                        lat.error(t);
                    }
                    inFlight.decrementAndGet();
                }
            }, MoreExecutors.directExecutor());
        }
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(5);
        }
        return new Result(label, lat.completed(), measureSeconds, lat.histogram(), lat.errorSummary(), maxInFlight);
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        // parkNanos, never a spin: the load generator shares two cores with the server.
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
