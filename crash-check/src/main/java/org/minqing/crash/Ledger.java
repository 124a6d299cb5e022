package org.minqing.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** What the lanes were told, shared by all of them: every acknowledgement, and everything unexpected. */
public final class Ledger {

    /** An OK answer: the request, its case and what the server said it appended. */
    public record Ack(String requestId, String method, String caseName, long revision, List<String> eventTypes) {

        @Override
        public String toString() {
            return requestId + " (" + method + " on " + caseName + ", acknowledged at revision " + revision + ")";
        }
    }

    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Set<String> cases = ConcurrentHashMap.newKeySet();
    private final Queue<String> refusals = new ConcurrentLinkedQueue<>();
    final AtomicLong retriedUnanswered = new AtomicLong();
    final AtomicLong resent = new AtomicLong();

    void acknowledged(Ack ack) {
        acks.add(ack);
        cases.add(ack.caseName());
    }

    /** A command the server refused, or a resent acknowledged one it answered differently. */
    void refused(String what) {
        refusals.add(what);
    }

    public List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    public List<String> cases() {
        return cases.stream().sorted().toList();
    }

    public List<String> refusals() {
        return new ArrayList<>(refusals);
    }

    /** Commands sent again with the same request after they got no answer (the server was killed or down). */
    public long retriedUnanswered() {
        return retriedUnanswered.get();
    }

    /** Acknowledged commands sent again, which must return the first answer and append nothing. */
    public long resent() {
        return resent.get();
    }
}
