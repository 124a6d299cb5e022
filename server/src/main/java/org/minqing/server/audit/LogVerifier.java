package org.minqing.server.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.minqing.api.v1.AuditedEvent;
import org.minqing.command.audit.AuditedEvents;
import org.minqing.command.store.chain.CaseChainVerifier;
import org.minqing.command.store.chain.ChainBreak;

/**
 * Verifies a whole exported log as it streams by: one chain verifier per case, fed in log order
 * (each case's events keep their order in the log). Memory grows with the number of cases, not
 * the number of events.
 */
final class LogVerifier {

    private final Map<String, CaseChainVerifier> cases = new LinkedHashMap<>();
    private long events;

    void accept(AuditedEvent event) {
        events++;
        cases.computeIfAbsent(event.getCaseId(), id -> new CaseChainVerifier()).accept(AuditedEvents.chained(event));
    }

    long events() {
        return events;
    }

    int cases() {
        return cases.size();
    }

    /** The broken cases, each with its first break. */
    Map<String, ChainBreak> broken() {
        Map<String, ChainBreak> broken = new LinkedHashMap<>();
        cases.forEach((id, verifier) -> {
            ChainBreak result = verifier.result();
            if (result != null) {
                broken.put(id, result);
            }
        });
        return broken;
    }
}
