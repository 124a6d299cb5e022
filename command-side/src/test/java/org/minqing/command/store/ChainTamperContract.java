package org.minqing.command.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseVerification;
import org.minqing.api.v1.ChainBreakKind;
import org.minqing.api.v1.EventMetadata;
import org.minqing.command.audit.CaseAudit;
import org.minqing.command.store.chain.ChainHash;
import org.minqing.command.store.chain.ChainedEvent;
import org.minqing.command.deadlines.DeadlinePolicy;

/**
 * Tampering with stored events behind the application's back, on each engine: verification must
 * name the first broken event and how it broke, and an untouched store must verify intact.
 */
public abstract class ChainTamperContract {

    protected static final int EVENTS = 8;
    protected static final int AT = 3;

    protected EventStorageEngine engine;
    protected Serializer eventSerializer;
    protected Serializer snapshotSerializer;
    private CaseAudit audit;
    protected String caseId;
    protected final List<String> ids = new ArrayList<>();

    /** The engine under test, without the chain (the test adds it, as the configuration does). */
    protected abstract EventStorageEngine createEngine(Serializer eventSerializer, Serializer snapshotSerializer);

    protected abstract void replacePayload(String caseId, long sequence, byte[] payload);

    protected abstract void delete(String caseId, long sequence);

    /** Swaps the events at {@code sequence} and {@code sequence + 1}. */
    protected abstract void swap(String caseId, long sequence);

    /** Stores {@code forged} at its sequence, moving the events from there one place on. */
    protected abstract void insert(ChainedEvent forged, Map<String, String> metadata);

    @BeforeEach
    void appendACase() {
        snapshotSerializer = EventStorageContract.snapshotSerializer();
        eventSerializer = EventStorageContract.eventSerializer(snapshotSerializer);
        engine = new HashChainingEventStorageEngine(createEngine(eventSerializer, snapshotSerializer), eventSerializer);
        audit = new CaseAudit(engine, eventSerializer, DeadlinePolicy.defaults());
        caseId = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        // In three units of work, interleaved with another case: the chain continues across appends.
        for (int[] batch : new int[][] {{0, 3}, {3, 6}, {6, EVENTS}}) {
            List<DomainEventMessage<?>> events = new ArrayList<>();
            for (int sequence = batch[0]; sequence < batch[1]; sequence++) {
                events.add(event(caseId, sequence));
                events.add(event(other, sequence));
                ids.add(events.get(events.size() - 2).getIdentifier());
            }
            engine.appendEvents(events);
        }
    }

    private static DomainEventMessage<?> event(String caseId, long sequence) {
        return new GenericDomainEventMessage<>("Case", caseId, sequence,
                CaseAccepted.newBuilder().setCaseId(caseId).setNote("note " + sequence).build(),
                Map.of(EventMetadata.ACTOR_ID, "clerk-" + sequence, EventMetadata.ACTOR_ROLE, "dispatcher",
                        EventMetadata.CORRELATION_ID, "corr-" + sequence, "unrelated", "not covered"));
    }

    @Test
    void anUntouchedCaseVerifiesIntactWithItsHeadHash() {
        CaseVerification verification = verify();

        assertThat(verification.getIntact()).isTrue();
        assertThat(verification.getEvents()).isEqualTo(EVENTS);
        Object head = engine.readEvents(caseId, EVENTS - 1).next().getMetaData().get(EventMetadata.CHAIN_HASH);
        assertThat(verification.getHeadHash()).isEqualTo(head).isNotEqualTo(ChainHash.GENESIS);
    }

    @Test
    void anAlteredPayloadIsReportedAtItsEvent() {
        replacePayload(caseId, AT, ("{\"caseId\":\"" + caseId + "\",\"note\":\"rewritten\"}").getBytes(StandardCharsets.UTF_8));

        assertBreak(ChainBreakKind.CHAIN_BREAK_KIND_ALTERED, AT, ids.get(AT));
    }

    @Test
    void anUndecodablePayloadIsReportedNotFatal() {
        replacePayload(caseId, AT, "{not json".getBytes(StandardCharsets.UTF_8));

        assertBreak(ChainBreakKind.CHAIN_BREAK_KIND_ALTERED, AT, ids.get(AT));
    }

    @Test
    void aDeletedEventIsReportedMissingAtItsPlace() {
        delete(caseId, AT);

        assertBreak(ChainBreakKind.CHAIN_BREAK_KIND_MISSING, AT, ids.get(AT + 1));
    }

    @Test
    void aForgedEventChainedToItsPredecessorIsReportedInserted() {
        // The strongest forger short of rewriting the rest: the algorithm is public, so the forged
        // event carries a valid chain record; its successor's record still names the old predecessor.
        String previous = engine.readEvents(caseId, AT - 1).next().getMetaData().get(EventMetadata.CHAIN_HASH).toString();
        DomainEventMessage<?> original = engine.readEvents(caseId, AT - 1).next();
        TreeMap<String, String> covered = new TreeMap<>(Map.of(EventMetadata.ACTOR_ID, "intruder"));
        ChainedEvent unsigned = new ChainedEvent(caseId, AT, UUID.randomUUID().toString(), original.getTimestamp(),
                "minqing.v1.CaseAccepted", ("{\"caseId\":\"" + caseId + "\",\"note\":\"forged\"}").getBytes(StandardCharsets.UTF_8),
                covered, previous, null);
        String hash = ChainHash.of(previous, unsigned);
        ChainedEvent forged = new ChainedEvent(unsigned.caseId(), AT, unsigned.eventId(), unsigned.timestamp(),
                unsigned.type(), unsigned.payload(), covered, previous, hash);
        insert(forged, Map.of(EventMetadata.ACTOR_ID, "intruder", EventMetadata.CHAIN_PREVIOUS, previous,
                EventMetadata.CHAIN_HASH, hash));

        assertBreak(ChainBreakKind.CHAIN_BREAK_KIND_INSERTED, AT, forged.eventId());
    }

    @Test
    void swappedEventsAreReportedReorderedAtTheFirst() {
        swap(caseId, AT);

        assertBreak(ChainBreakKind.CHAIN_BREAK_KIND_REORDERED, AT, ids.get(AT + 1));
    }

    private void assertBreak(ChainBreakKind kind, long sequence, String eventId) {
        CaseVerification verification = verify();
        assertThat(verification.getIntact()).as(verification.toString()).isFalse();
        assertThat(verification.getFirstBreak().getKind()).as(verification.toString()).isEqualTo(kind);
        assertThat(verification.getFirstBreak().getSequence()).as(verification.toString()).isEqualTo(sequence);
        assertThat(verification.getFirstBreak().getEventId()).as(verification.toString()).isEqualTo(eventId);
    }

    private CaseVerification verify() {
        return audit.verify("cases/" + caseId, caseId);
    }
}
