package org.minqing.crash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import org.minqing.api.v1.AuditServiceGrpc;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.CaseQueryServiceGrpc;
import org.minqing.api.v1.CaseVerification;
import org.minqing.api.v1.EventMetadata;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ListTimelineEntriesRequest;
import org.minqing.api.v1.ListTimelineEntriesResponse;
import org.minqing.api.v1.ReplayCaseRequest;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.api.v1.VerifyCaseRequest;

/**
 * After the last restart, compares what the lanes were told with what the server has, over the
 * public API only: the event log ({@code AuditService.ReplayCase}, {@code VerifyCase}) and the two
 * read models of a case ({@code GetCase}, {@code ListTimelineEntries}).
 */
public final class CrashCheck {

    /** The development profile's keys: the 12345 centre, the department the lanes dispatch to, the auditor. */
    static final String DEV_KEY = "minqing-dev-key";
    static final String DEPARTMENT = "water-bureau";
    static final String DEPARTMENT_KEY = "minqing-dev-water-bureau";
    static final String AUDITOR_KEY = "minqing-dev-auditor";

    /**
     * Each list names the case and request id of every problem found.
     *
     * @param lost             acknowledged commands whose event is not in the log at the revision the OK returned
     * @param appliedTwice     request ids on more events than one execution of their command appends
     * @param chainsBroken     cases whose hash chain does not verify
     * @param readModelsBehind cases whose summary revision or timeline does not match the log when the wait ended
     */
    public record Verdict(int acknowledged, int cases, long events, List<String> lost, List<String> appliedTwice,
                          List<String> chainsBroken, List<String> readModelsBehind) {
    }

    private record Logged(String caseName, long sequence, String eventId, String type) {
    }

    private final AuditServiceGrpc.AuditServiceBlockingStub audit;
    private final CaseQueryServiceGrpc.CaseQueryServiceBlockingStub queries;

    public CrashCheck(Channel channel) {
        audit = withKey(AuditServiceGrpc.newBlockingStub(channel), AUDITOR_KEY);
        queries = withKey(CaseQueryServiceGrpc.newBlockingStub(channel), DEV_KEY);
    }

    static <S extends AbstractStub<S>> S withKey(S stub, String apiKey) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** @param readModelWait how long the read models get to catch up with the log, all cases together */
    public Verdict check(Ledger ledger, Duration readModelWait) throws InterruptedException {
        Map<String, List<AuditedEvent>> logs = new LinkedHashMap<>();
        for (String name : ledger.cases()) {
            logs.put(name, replay(name));
        }
        List<Ledger.Ack> acks = ledger.acks();
        Map<String, Integer> appendsPerRequest = new HashMap<>();
        List<String> lost = new ArrayList<>();
        for (Ledger.Ack ack : acks) {
            appendsPerRequest.merge(ack.requestId(), ack.eventTypes().size(), Math::max);
            List<AuditedEvent> log = logs.get(ack.caseName());
            for (int i = 0; i < ack.eventTypes().size(); i++) {
                long sequence = ack.revision() - ack.eventTypes().size() + i;
                AuditedEvent logged = sequence < log.size() ? log.get((int) sequence) : null;
                boolean there = logged != null && requestId(logged).equals(ack.requestId())
                        && logged.getType().equals(ack.eventTypes().get(i));
                if (!there) {
                    lost.add(ack + ": no " + ack.eventTypes().get(i) + " of it at sequence " + sequence
                            + "; the log of " + ack.caseName() + " has " + log.size()
                            + " events, this request id at " + sequencesOf(log, ack.requestId()));
                }
            }
        }
        Map<String, List<Logged>> byRequest = new LinkedHashMap<>();
        long events = 0;
        for (Map.Entry<String, List<AuditedEvent>> log : logs.entrySet()) {
            for (AuditedEvent event : log.getValue()) {
                events++;
                if (!requestId(event).isEmpty()) {
                    byRequest.computeIfAbsent(requestId(event), r -> new ArrayList<>()).add(
                            new Logged(log.getKey(), event.getSequence(), event.getEventId(), event.getType()));
                }
            }
        }
        List<String> appliedTwice = new ArrayList<>();
        byRequest.forEach((requestId, logged) -> {
            long distinct = logged.stream().map(Logged::eventId).distinct().count();
            if (distinct > Math.max(1, appendsPerRequest.getOrDefault(requestId, 1))) {
                appliedTwice.add("request " + requestId + " is on " + distinct + " events, one execution appends "
                        + Math.max(1, appendsPerRequest.getOrDefault(requestId, 1)) + ": " + logged);
            }
        });
        List<String> chainsBroken = new ArrayList<>();
        for (String name : logs.keySet()) {
            if (!logs.get(name).isEmpty()) {
                CaseVerification verification = audit.verifyCase(VerifyCaseRequest.newBuilder().setName(name).build());
                if (!verification.getIntact()) {
                    chainsBroken.add(name + ": " + verification.getFirstBreak().toString().replace('\n', ' '));
                }
            }
        }
        return new Verdict(acks.size(), logs.size(), events, lost, appliedTwice, chainsBroken,
                readModelsBehind(logs, readModelWait));
    }

    private List<AuditedEvent> replay(String name) {
        List<AuditedEvent> log = new ArrayList<>();
        try {
            audit.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .replayCase(ReplayCaseRequest.newBuilder().setName(name).build()).forEachRemaining(log::add);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
        return log;
    }

    private static String requestId(AuditedEvent event) {
        return event.getMetadataOrDefault(EventMetadata.REQUEST_ID, "");
    }

    private static List<Long> sequencesOf(List<AuditedEvent> log, String requestId) {
        return log.stream().filter(e -> requestId(e).equals(requestId)).map(AuditedEvent::getSequence).toList();
    }

    /** Polls until every case's summary revision and timeline match its log, or the wait is over. */
    private List<String> readModelsBehind(Map<String, List<AuditedEvent>> logs, Duration wait)
            throws InterruptedException {
        Map<String, String> behind = new LinkedHashMap<>();
        logs.forEach((name, log) -> {
            if (!log.isEmpty()) {
                behind.put(name, "not read yet");
            }
        });
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            for (String name : new ArrayList<>(behind.keySet())) {
                String mismatch = readModelMismatch(name, logs.get(name));
                if (mismatch == null) {
                    behind.remove(name);
                } else {
                    behind.put(name, mismatch);
                }
            }
            if (behind.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(250);
        }
        List<String> result = new ArrayList<>();
        behind.forEach((name, mismatch) -> result.add(name + ": " + mismatch));
        return result;
    }

    /** Null when both read models of the case show exactly the logged events, else what differs. */
    private String readModelMismatch(String name, List<AuditedEvent> log) {
        long revision;
        try {
            revision = queries.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getCase(GetCaseRequest.newBuilder().setName(name).build()).getRevision();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            revision = 0;
        }
        Set<Long> sequences = new TreeSet<>();
        int entries = 0;
        String pageToken = "";
        for (int page = 0; page < 1_000; page++) {
            ListTimelineEntriesResponse response;
            try {
                response = queries.withDeadlineAfter(10, TimeUnit.SECONDS).listTimelineEntries(
                        ListTimelineEntriesRequest.newBuilder().setParent(name).setPageSize(20)
                                .setPageToken(pageToken).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
                break;
            }
            for (TimelineEntry entry : response.getTimelineEntriesList()) {
                entries++;
                sequences.add(entry.getSequence());
            }
            pageToken = response.getNextPageToken();
            if (pageToken.isEmpty()) {
                break;
            }
        }
        Set<Long> missing = new TreeSet<>();
        for (long s = 0; s < log.size(); s++) {
            if (!sequences.remove(s)) {
                missing.add(s);
            }
        }
        if (revision == log.size() && entries == log.size() && missing.isEmpty() && sequences.isEmpty()) {
            return null;
        }
        return "log has " + log.size() + " events; GetCase revision " + revision + "; timeline " + entries
                + " entries" + (missing.isEmpty() ? "" : ", missing sequences " + missing)
                + (sequences.isEmpty() ? "" : ", entries beyond the log " + sequences)
                + (missing.isEmpty() ? "" : " (event ids " + missing.stream()
                        .map(s -> log.get(s.intValue()).getEventId()).toList() + ")");
    }
}
