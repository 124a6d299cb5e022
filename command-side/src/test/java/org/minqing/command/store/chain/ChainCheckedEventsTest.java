package org.minqing.command.store.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.EventMetadata;
import org.minqing.api.v1.ProgressNoteAdded;
import org.minqing.command.store.EventStoreConfiguration;

/** A case's history is checked link by link as the command side loads it. */
class ChainCheckedEventsTest {

    private final Serializer serializer = new EventStoreConfiguration().eventSerializer(new EventStoreConfiguration().serializer());

    @Test
    void anIntactHistoryLoadsWhole() {
        assertThat(load(chain(4), null)).hasSize(4);
    }

    @Test
    void aMissingMiddleEventAnAlteredOneOrALostLatestOneStopsTheLoad() {
        List<DomainEventMessage<?>> history = chain(4);
        List<DomainEventMessage<?>> gap = new ArrayList<>(history);
        gap.remove(1);
        assertThatThrownBy(() -> load(gap, null)).isInstanceOf(ChainCheckedEvents.BrokenChainException.class)
                .hasMessageContaining("broken at revision 2").hasMessageContaining("missing");

        List<DomainEventMessage<?>> altered = new ArrayList<>(history);
        DomainEventMessage<?> third = history.get(2);
        altered.set(2, new GenericDomainEventMessage<>(third.getType(), third.getAggregateIdentifier(), 2,
                ProgressNoteAdded.newBuilder().setCaseId("c-1").setNote("changed").build(), third.getMetaData(),
                third.getIdentifier(), third.getTimestamp()));
        assertThatThrownBy(() -> load(altered, null)).hasMessageContaining("broken at revision 3")
                .hasMessageContaining("does not match its hash");

        assertThatThrownBy(() -> load(history.subList(0, 3), 3L)).hasMessageContaining("broken at revision 4")
                .hasMessageContaining("Merkle log holds revision 4");
        assertThat(load(history, 3L)).hasSize(4);
    }

    private List<DomainEventMessage<?>> load(List<DomainEventMessage<?>> stored, Long recorded) {
        ChainCheckedEvents events = new ChainCheckedEvents(DomainEventStream.of(stored), serializer, caseId -> recorded);
        List<DomainEventMessage<?>> loaded = new ArrayList<>();
        while (events.hasNext()) {
            loaded.add(events.next());
        }
        return loaded;
    }

    /** Events chained as the engine stores them. */
    private List<DomainEventMessage<?>> chain(int n) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        String previous = ChainHash.GENESIS;
        for (int i = 0; i < n; i++) {
            DomainEventMessage<?> event = new GenericDomainEventMessage<>("Case", "c-1", i,
                    ProgressNoteAdded.newBuilder().setCaseId("c-1").setNote("note " + i).build(), Map.of(), "e-" + i,
                    Instant.ofEpochMilli(1_700_000_000_000L + i));
            String hash = ChainHash.of(previous, StoredEvents.chained(event, serializer));
            events.add(event.andMetaData(Map.of(EventMetadata.CHAIN_PREVIOUS, previous, EventMetadata.CHAIN_HASH, hash)));
            previous = hash;
        }
        return events;
    }
}
