package org.minqing.edge.queries;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Status;

/**
 * How many live streams (timeline and worklist watches together) one caller may hold open. Each
 * open stream polls the read models; without a bound, one partner system opening streams in a loop
 * would load the database for everyone.
 */
public final class WatchQuota {

    private final int perCaller;
    private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public WatchQuota(int perCaller) {
        this.perCaller = perCaller;
    }

    /**
     * Takes one of the caller's slots.
     *
     * @return what gives the slot back; running it more than once gives back one slot only
     * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED when the caller's slots are taken
     */
    public Runnable acquire(String principal) {
        AtomicInteger count = open.computeIfAbsent(principal, p -> new AtomicInteger());
        if (count.incrementAndGet() > perCaller) {
            count.decrementAndGet();
            throw Status.RESOURCE_EXHAUSTED.withDescription(principal + " already has " + perCaller
                    + " live streams open (minqing.query.max-watches-per-caller); close one first").asRuntimeException();
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        };
    }

    /** Streams open now, all callers together. */
    public int open() {
        return open.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
