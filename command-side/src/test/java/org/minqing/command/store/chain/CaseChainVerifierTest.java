package org.minqing.command.store.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.minqing.command.store.chain.ChainBreak.Kind;

/**
 * How far back the verifier recognises inserted events: its window of the last verified events
 * grows with a case and then wraps, and an insertion is told from a reordering only while the
 * event it chains from is still in the window (docs/audit.md's rules).
 */
class CaseChainVerifierTest {

    private static final String CASE = "case-1";

    @ParameterizedTest(name = "{1} forged event(s) put in before event {0}: {2} at {3} (ids {4})")
    @CsvSource({
            "3, 1, INSERTED, 3, uuid",
            "3, 5, INSERTED, 3, name",
            "3, 5, INSERTED, 3, uuid",
            "10, 40, INSERTED, 10, uuid",
            "100, 63, INSERTED, 100, name",
            "100, 63, INSERTED, 100, uuid",
            "0, 64, INSERTED, 0, uuid",
            "10, 64, REORDERED, 74, uuid",
    })
    void insertedEventsAreRecognisedWhileTheirPredecessorIsInTheWindow(int at, int forged, Kind kind, long reportedAt,
                                                                       String ids) {
        boolean uuids = ids.equals("uuid");
        List<ChainedEvent> genuine = chain("genuine", 0, ChainHash.GENESIS, at + 5, uuids);
        String before = at == 0 ? ChainHash.GENESIS : genuine.get(at - 1).hash();
        List<ChainedEvent> stored = new ArrayList<>(genuine.subList(0, at));
        stored.addAll(chain("forged", at, before, forged, uuids));
        for (ChainedEvent event : genuine.subList(at, genuine.size())) {
            stored.add(restored(event, stored.size()));
        }

        CaseChainVerifier verifier = new CaseChainVerifier();
        stored.forEach(verifier::accept);

        ChainBreak found = verifier.result();
        assertThat(found).isNotNull();
        assertThat(found.kind()).isEqualTo(kind);
        assertThat(found.sequence()).isEqualTo(reportedAt);
        assertThat(found.eventId()).isEqualTo(id(kind == Kind.INSERTED ? "forged" : "genuine", at, uuids));
        assertThat(verifier.events()).isEqualTo(stored.size());
    }

    @ParameterizedTest(name = "a case of {0} events verifies intact")
    @CsvSource({"1", "4", "5", "64", "65", "200"})
    void anIntactCaseOfAnyLengthVerifies(int length) {
        List<ChainedEvent> events = chain("genuine", 0, ChainHash.GENESIS, length, true);
        CaseChainVerifier verifier = new CaseChainVerifier();
        events.forEach(verifier::accept);
        assertThat(verifier.result()).isNull();
        assertThat(verifier.headHash()).isEqualTo(events.get(length - 1).hash());
    }

    @ParameterizedTest(name = "the event after {0} chained to a replaced predecessor (ids {1})")
    @CsvSource({"1, uuid", "4, name", "70, uuid", "70, name"})
    void aReplacedEventIsReportedAtItself(int at, String ids) {
        boolean uuids = ids.equals("uuid");
        List<ChainedEvent> events = new ArrayList<>(chain("genuine", 0, ChainHash.GENESIS, at + 2, uuids));
        ChainedEvent replaced = chain("replacement", at, events.get(at - 1).hash(), 1, uuids).get(0);
        events.set(at, replaced);
        CaseChainVerifier verifier = new CaseChainVerifier();
        events.forEach(verifier::accept);
        assertThat(verifier.result().kind()).isEqualTo(Kind.ALTERED);
        assertThat(verifier.result().sequence()).isEqualTo(at);
        assertThat(verifier.result().eventId()).isEqualTo(id("replacement", at, uuids));
    }

    @ParameterizedTest(name = "a chain record with {0} is malformed")
    @CsvSource({"an upper-case digit, A", "a letter past f, g", "a non-ASCII letter whose low bits are 'a', \u00e1"})
    void aHashThatIsNotSixtyFourLowerCaseHexDigitsIsAltered(String what, char intruder) {
        ChainedEvent event = chain("genuine", 0, ChainHash.GENESIS, 1, true).get(0);
        String damaged = event.hash().substring(0, 30) + intruder + event.hash().substring(31);
        CaseChainVerifier verifier = new CaseChainVerifier();
        verifier.accept(stored(event, 0, damaged));
        assertThat(verifier.result().kind()).isEqualTo(Kind.ALTERED);
        assertThat(verifier.result().detail()).isEqualTo("the event has no valid chain record");
        assertThat(ChainHash.wellFormed(event.hash())).isTrue();
    }

    /** {@code count} events chained from {@code previous}, at sequences from {@code first}, with {@link #id}s. */
    private static List<ChainedEvent> chain(String name, int first, String previous, int count, boolean uuids) {
        List<ChainedEvent> events = new ArrayList<>();
        for (int sequence = first; sequence < first + count; sequence++) {
            ChainedEvent unhashed = new ChainedEvent(CASE, sequence, id(name, sequence, uuids),
                    Instant.parse("2026-01-05T00:00:00Z").plusSeconds(sequence), "minqing.v1.ProgressNoteAdded",
                    ("{\"note\":\"" + name + " " + sequence + "\"}").getBytes(StandardCharsets.UTF_8),
                    new TreeMap<>(), previous, null);
            String hash = ChainHash.of(previous, unhashed);
            events.add(stored(unhashed, sequence, hash));
            previous = hash;
        }
        return events;
    }

    /** "name-sequence", or a UUID made from it: the verifier keeps UUIDs as numbers, other ids as they are. */
    private static String id(String name, int sequence, boolean uuid) {
        String id = name + "-" + sequence;
        return uuid ? UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString() : id;
    }

    /** The genuine event as a forger who inserted events before it must store it: renumbered, hash kept. */
    private static ChainedEvent restored(ChainedEvent event, long sequence) {
        return stored(event, sequence, event.hash());
    }

    private static ChainedEvent stored(ChainedEvent event, long sequence, String hash) {
        return new ChainedEvent(event.caseId(), sequence, event.eventId(), event.timestamp(), event.type(),
                event.payload(), event.metadata(), event.previousHash(), hash);
    }
}
