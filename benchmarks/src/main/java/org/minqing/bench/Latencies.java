package org.minqing.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What a load run saw: a latency histogram (µs), how many calls completed, and the failures by status. */
final class Latencies {

    private final Recorder recorder = new Recorder(3_600_000_000L, 3);
    private final AtomicLong completed = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

    void record(long micros) {
        recorder.recordValue(Math.max(1, Math.min(micros, 3_600_000_000L)));
        completed.incrementAndGet();
    }

    void error(Throwable t) {
        String code = t instanceof io.grpc.StatusRuntimeException s ? s.getStatus().getCode().name()
                : t.getClass().getSimpleName();
        errors.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }

    long completed() {
        return completed.get();
    }

    Histogram histogram() {
        return recorder.getIntervalHistogram();
    }

    String errorSummary() {
        if (errors.isEmpty()) {
            return "0";
        }
        Map<String, Long> sorted = new TreeMap<>();
        errors.forEach((k, v) -> sorted.put(k, v.get()));
        return sorted.toString();
    }
}
