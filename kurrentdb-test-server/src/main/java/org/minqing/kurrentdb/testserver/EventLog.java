package org.minqing.kurrentdb.testserver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's transaction log, in memory: {@code $all} in commit order and an index per stream.
 * Appends are atomic (one lock), positions grow by each record's size so that not every number is
 * an event boundary, and live subscribers are told about new records under the same lock, so a
 * subscriber that registers while taking its catch-up snapshot misses nothing and sees nothing twice.
 */
final class EventLog {

    /** Roughly what a record's header costs in a real log; keeps positions realistic and sparse. */
    private static final int RECORD_OVERHEAD = 96;
    private static final long TICKS_PER_SECOND = 10_000_000L;

    private final List<Recorded> all = new ArrayList<>();
    private final Map<String, List<Recorded>> streams = new HashMap<>();
    private final List<Consumer<Recorded>> live = new CopyOnWriteArrayList<>();
    private volatile Clock clock;
    private long nextPosition;
    private volatile Duration scanCost = Duration.ZERO;

    EventLog(Clock clock) {
        this.clock = clock;
    }

    synchronized AppendOutcome append(String stream, Expected expected, List<ProposedEvent> events) {
        List<Recorded> existing = streams.getOrDefault(stream, List.of());
        long current = existing.size() - 1L;
        boolean exists = !existing.isEmpty();
        switch (expected.kind()) {
            case NO_STREAM -> {
                if (exists) {
                    return idempotent(existing, -1, events).orElse(AppendOutcome.wrongExpectedVersion(current));
                }
            }
            case STREAM_EXISTS -> {
                if (!exists) {
                    return AppendOutcome.wrongExpectedVersion(-1);
                }
            }
            case REVISION -> {
                if (current != expected.revision()) {
                    if (current > expected.revision()) {
                        return idempotent(existing, expected.revision(), events)
                                .orElse(AppendOutcome.wrongExpectedVersion(current));
                    }
                    return AppendOutcome.wrongExpectedVersion(current);
                }
            }
            case ANY -> {
                // Best effort, as on a real server: a repeat of the stream's latest events is a no-op.
                AppendOutcome repeat = repeatOfTail(existing, events);
                if (repeat != null) {
                    return repeat;
                }
            }
        }
        if (events.isEmpty()) {
            return AppendOutcome.success(current, exists ? existing.get(existing.size() - 1).position() : -1);
        }
        List<Recorded> target = streams.computeIfAbsent(stream, s -> new ArrayList<>());
        long created = ticks(clock.instant());
        List<Recorded> written = new ArrayList<>(events.size());
        for (ProposedEvent event : events) {
            Map<String, String> system = new HashMap<>(event.metadata());
            system.put("created", Long.toString(created));
            long next = nextPosition + RECORD_OVERHEAD + event.data().size() + event.customMetadata().size();
            Recorded record = new Recorded(stream, target.size(), event.id(), nextPosition, next,
                    Collections.unmodifiableMap(system), event.customMetadata(), event.data());
            nextPosition = next;
            target.add(record);
            all.add(record);
            written.add(record);
        }
        for (Recorded record : written) {
            live.forEach(listener -> listener.accept(record));
        }
        Recorded last = written.get(written.size() - 1);
        return AppendOutcome.success(last.revision(), last.position());
    }

    /**
     * With an explicit expected state, the same events at the same place are a success that writes
     * nothing, answered as the original append was: its last event's revision and position (a
     * real server repeats the original reply), not the stream's revision now.
     */
    private static java.util.Optional<AppendOutcome> idempotent(List<Recorded> existing, long after,
                                                                List<ProposedEvent> events) {
        int from = (int) (after + 1);
        if (events.isEmpty() || from + events.size() > existing.size()) {
            return java.util.Optional.empty();
        }
        for (int i = 0; i < events.size(); i++) {
            if (!existing.get(from + i).id().equals(events.get(i).id())) {
                return java.util.Optional.empty();
            }
        }
        Recorded last = existing.get(from + events.size() - 1);
        return java.util.Optional.of(AppendOutcome.resent(last.revision(), last.position()));
    }

    private static AppendOutcome repeatOfTail(List<Recorded> existing, List<ProposedEvent> events) {
        if (events.isEmpty() || events.size() > existing.size()) {
            return null;
        }
        int from = existing.size() - events.size();
        return idempotent(existing, from - 1L, events).orElse(null);
    }

    /**
     * Test-only tampering, as someone with access to the storage files could do it: {@code change}
     * edits the stream's records (in order); revisions are then renumbered by position and
     * {@code $all} follows (a new record is placed at the log's end).
     */
    synchronized void tamper(String stream, java.util.function.UnaryOperator<List<Recorded>> change) {
        List<Recorded> before = streams.get(stream);
        if (before == null) {
            throw new IllegalArgumentException("no stream " + stream);
        }
        List<Recorded> after = change.apply(new ArrayList<>(before));
        List<Recorded> renumbered = new ArrayList<>(after.size());
        for (int revision = 0; revision < after.size(); revision++) {
            Recorded r = after.get(revision);
            renumbered.add(new Recorded(stream, revision, r.id(), r.position(), r.next(), r.systemMetadata(),
                    r.customMetadata(), r.data()));
        }
        all.removeIf(r -> r.stream().equals(stream));
        for (Recorded r : renumbered) {
            if (r.position() < 0) {
                long next = nextPosition + RECORD_OVERHEAD + r.data().size() + r.customMetadata().size();
                r = new Recorded(stream, r.revision(), r.id(), nextPosition, next, r.systemMetadata(),
                        r.customMetadata(), r.data());
                renumbered.set((int) r.revision(), r);
                nextPosition = next;
            }
            all.add(r);
        }
        all.sort(java.util.Comparator.comparingLong(Recorded::position));
        streams.put(stream, renumbered);
    }

    synchronized List<Recorded> stream(String stream) {
        List<Recorded> events = streams.get(stream);
        return events == null ? null : List.copyOf(events);
    }

    /**
     * Whether a stream's read shows this record under the stream's retention metadata (the latest
     * event of {@code $$stream}): only its last {@code $maxCount} events, and none older than
     * {@code $maxAge} seconds. As on a real server, records past either limit are no longer read
     * from the stream (they leave {@code $all} only when the server scavenges, which this one never does).
     */
    synchronized Predicate<Recorded> retained(String stream) {
        List<Recorded> metadata = streams.get("$$" + stream);
        List<Recorded> events = streams.get(stream);
        if (metadata == null || events == null) {
            return record -> true;
        }
        String json = metadata.get(metadata.size() - 1).data().toStringUtf8();
        long firstKept = limit(json, "$maxCount").map(count -> events.size() - count).orElse(Long.MIN_VALUE);
        long oldestTicks = limit(json, "$maxAge").map(seconds -> ticks(clock.instant()) - seconds * TICKS_PER_SECOND)
                .orElse(Long.MIN_VALUE);
        return record -> record.revision() >= firstKept && Long.parseLong(record.systemMetadata().get("created")) >= oldestTicks;
    }

    private static java.util.Optional<Long> limit(String metadataJson, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\\d+)").matcher(metadataJson);
        return matcher.find() ? java.util.Optional.of(Long.parseLong(matcher.group(1))) : java.util.Optional.empty();
    }

    synchronized List<Recorded> all() {
        return List.copyOf(all);
    }

    /** The position just past the log's end: where the next record will be written. */
    synchronized long end() {
        return nextPosition;
    }

    /**
     * Runs {@code catchUp} with the current log and registers {@code listener} for every later
     * record, atomically with respect to appends.
     */
    synchronized Runnable subscribe(Consumer<List<Recorded>> catchUp, Consumer<Recorded> listener) {
        catchUp.accept(List.copyOf(all));
        live.add(listener);
        return () -> live.remove(listener);
    }

    /** The server's clock from now on (its records' {@code created} time): a node whose clock is off. */
    void clock(Clock clock) {
        this.clock = clock;
    }

    /** What a filtered subscription spends looking at one record (a real server reads it from disk). */
    Duration scanCost() {
        return scanCost;
    }

    void scanCost(Duration perRecord) {
        scanCost = perRecord;
    }

    static long ticks(Instant instant) {
        return instant.getEpochSecond() * TICKS_PER_SECOND + instant.getNano() / 100;
    }
}
