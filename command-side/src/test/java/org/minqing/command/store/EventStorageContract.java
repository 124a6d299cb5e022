package org.minqing.command.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.axonframework.eventsourcing.snapshotting.RevisionSnapshotFilter;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.EventMetadata;
import org.minqing.api.v1.EventsProto;
import tools.jackson.databind.SerializationFeature;

/**
 * What every event storage engine must do, the same way: one suite, one subclass per engine.
 * Aggregate ids are fresh per test and tracking assertions look only at this test's aggregates,
 * so the suite can also run against a shared, non-empty server.
 */
public abstract class EventStorageContract {

    protected EventStorageEngine engine;
    private final List<String> caseIds = new ArrayList<>();

    /** The engine under test, on an empty or shared store, using the snapshots {@code snapshotFilter} allows. */
    protected abstract EventStorageEngine createEngine(Serializer eventSerializer, Serializer snapshotSerializer,
                                                       SnapshotFilter snapshotFilter);

    /** The serializers the application uses: protobuf JSON for events, Jackson for the rest. */
    public static Serializer snapshotSerializer() {
        return Jackson3Serializer.builder()
                .jsonMapperBuilderCustomizer(mapper -> mapper.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS))
                .build();
    }

    public static Serializer eventSerializer(Serializer delegate) {
        return new ProtobufJsonSerializer(delegate, List.of(EventsProto.getDescriptor()));
    }

    @BeforeEach
    void createEngine() {
        Serializer snapshots = snapshotSerializer();
        engine = createEngine(eventSerializer(snapshots), snapshots, SnapshotFilter.allowAll());
    }

    protected String newCaseId() {
        String id = UUID.randomUUID().toString();
        caseIds.add(id);
        return id;
    }

    protected static DomainEventMessage<CaseAccepted> event(String caseId, long sequence, String note) {
        return new GenericDomainEventMessage<>("Case", caseId, sequence,
                CaseAccepted.newBuilder().setCaseId(caseId).setNote(note).build(),
                Map.of(EventMetadata.CORRELATION_ID, "corr-" + note, EventMetadata.CAUSATION_ID, "cause-" + note,
                        "actorId", "tester"));
    }

    @Test
    void readsBackAUnitOfWorksEventsExactlyAsAppended() {
        String caseId = newCaseId();
        List<DomainEventMessage<CaseAccepted>> written = List.of(event(caseId, 0, "a"), event(caseId, 1, "b"),
                event(caseId, 2, "c"));
        engine.appendEvents(written);

        List<? extends DomainEventMessage<?>> read = engine.readEvents(caseId).asStream().toList();

        assertThat(read).hasSize(3);
        for (int i = 0; i < 3; i++) {
            DomainEventMessage<?> expected = written.get(i);
            DomainEventMessage<?> actual = read.get(i);
            assertThat(actual.getIdentifier()).isEqualTo(expected.getIdentifier());
            assertThat(actual.getAggregateIdentifier()).isEqualTo(caseId);
            assertThat(actual.getType()).isEqualTo("Case");
            assertThat(actual.getSequenceNumber()).isEqualTo(i);
            assertThat(actual.getPayload()).isEqualTo(expected.getPayload());
            assertThat(actual.getMetaData()).isEqualTo(expected.getMetaData());
            // Axon's JDBC engine keeps milliseconds: that much every engine must keep.
            assertThat(actual.getTimestamp().truncatedTo(ChronoUnit.MILLIS))
                    .isEqualTo(expected.getTimestamp().truncatedTo(ChronoUnit.MILLIS));
        }
    }

    @Test
    void readsFromASequenceNumberAndKnowsTheLast() {
        String caseId = newCaseId();
        engine.appendEvents(event(caseId, 0, "a"), event(caseId, 1, "b"));
        engine.appendEvents(event(caseId, 2, "c"));

        assertThat(engine.readEvents(caseId, 2).asStream().map(DomainEventMessage::getSequenceNumber))
                .containsExactly(2L);
        assertThat(engine.lastSequenceNumberFor(caseId)).contains(2L);
    }

    @Test
    void anUnknownAggregateHasNoEvents() {
        String caseId = newCaseId();
        assertThat(engine.readEvents(caseId).asStream()).isEmpty();
        assertThat(engine.lastSequenceNumberFor(caseId)).isEmpty();
        assertThat(engine.readSnapshot(caseId)).isEmpty();
    }

    @Test
    void aSecondWriterAtTheSamePositionConflictsAndChangesNothing() {
        String caseId = newCaseId();
        engine.appendEvents(event(caseId, 0, "first"), event(caseId, 1, "second"));

        assertThatThrownBy(() -> engine.appendEvents(event(caseId, 1, "other"), event(caseId, 2, "more")))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(engine.readEvents(caseId).asStream().map(e -> ((CaseAccepted) e.getPayload()).getNote()))
                .containsExactly("first", "second");
    }

    @Test
    void creatingAnAggregateTwiceConflictsAndChangesNothing() {
        String caseId = newCaseId();
        engine.appendEvents(event(caseId, 0, "first"));

        assertThatThrownBy(() -> engine.appendEvents(event(caseId, 0, "again")))
                .isInstanceOf(AggregateStreamCreationException.class);
        assertThat(engine.readEvents(caseId).asStream().map(e -> ((CaseAccepted) e.getPayload()).getNote()))
                .containsExactly("first");
    }

    @Test
    void concurrentWritersNeverInterleaveOrLoseAnUpdate() throws Exception {
        String caseId = newCaseId();
        engine.appendEvents(event(caseId, 0, "start"));
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String writer = "w" + w;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        engine.appendEvents(event(caseId, 1, writer + "-1"), event(caseId, 2, writer + "-2"));
                        return true;
                    } catch (ConcurrencyException lost) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> outcome : outcomes) {
                won += outcome.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        List<String> notes = engine.readEvents(caseId).asStream()
                .map(e -> ((CaseAccepted) e.getPayload()).getNote()).toList();
        assertThat(notes).hasSize(3);
        String winner = notes.get(1).substring(0, notes.get(1).indexOf('-'));
        assertThat(notes).containsExactly("start", winner + "-1", winner + "-2");
    }

    @Test
    void theLatestSnapshotIsRead() {
        String caseId = newCaseId();
        engine.appendEvents(event(caseId, 0, "a"), event(caseId, 1, "b"), event(caseId, 2, "c"));
        engine.storeSnapshot(snapshot(caseId, 1, "after b"));
        engine.storeSnapshot(snapshot(caseId, 2, "after c"));

        DomainEventMessage<?> snapshot = engine.readSnapshot(caseId).orElseThrow();

        assertThat(snapshot.getSequenceNumber()).isEqualTo(2);
        assertThat(snapshot.getPayload()).isEqualTo(new CaseState("after c", 2));
        assertThat(engine.readEvents(caseId).asStream().count()).as("snapshots are not events").isEqualTo(3);
    }

    /** Axon's aggregates filter snapshots by their @Revision: one of another shape is passed by. */
    @Test
    void aSnapshotTheFilterRefusesIsNotRead() {
        Serializer snapshots = snapshotSerializer();
        EventStorageEngine filtered = createEngine(eventSerializer(snapshots), snapshots,
                RevisionSnapshotFilter.builder().type("Case").revision("2").build());
        String caseId = newCaseId();
        filtered.appendEvents(event(caseId, 0, "a"));
        filtered.storeSnapshot(snapshot(caseId, 0, "after a")); // CaseState has no @Revision
        String otherId = newCaseId();
        filtered.appendEvents(event(otherId, 0, "a"));
        filtered.storeSnapshot(new GenericDomainEventMessage<>("Other", otherId, 0, new CaseState("after a", 0)));

        assertThat(filtered.readSnapshot(caseId)).isEmpty();
        assertThat(filtered.readSnapshot(otherId)).as("another aggregate type's snapshot, not filtered").isPresent();
    }

    @Test
    void trackingDeliversEventsInAppendOrderAndResumesWithoutRepeatOrSkip() {
        TrackingToken head = engine.createHeadToken();
        String first = newCaseId();
        String second = newCaseId();
        engine.appendEvents(event(first, 0, "1"), event(first, 1, "2"));
        engine.appendEvents(event(second, 0, "3"));
        engine.appendEvents(event(first, 2, "4"));

        List<TrackedEventMessage<?>> all = track(head);
        assertThat(notes(all)).containsExactly("1", "2", "3", "4");
        assertThat(all.get(3).trackingToken().covers(all.get(0).trackingToken())).isTrue();
        assertThat(all.get(0).trackingToken().covers(all.get(3).trackingToken())).isFalse();
        assertThat(((DomainEventMessage<?>) all.get(2)).getAggregateIdentifier()).isEqualTo(second);

        assertThat(notes(track(all.get(1).trackingToken()))).containsExactly("3", "4");
        assertThat(notes(track(all.get(3).trackingToken()))).isEmpty();
    }

    @Test
    void trackingFromTheTailIncludesTheFirstEvent() {
        String caseId = newCaseId();
        engine.appendEvents(event(caseId, 0, "x"), event(caseId, 1, "y"));

        assertThat(notes(track(engine.createTailToken()))).containsExactly("x", "y");
    }

    @Test
    void aTokenAtAnInstantStartsWithTheFirstEventAtOrAfterIt() throws Exception {
        String caseId = newCaseId();
        engine.appendEvents(event(caseId, 0, "before"));
        Thread.sleep(50);
        Instant cut = Instant.now();
        Thread.sleep(50);
        engine.appendEvents(event(caseId, 1, "after"));

        assertThat(notes(track(engine.createTokenAt(cut)))).containsExactly("after");
    }

    /** Everything after {@code token}, through as many streams as the engine needs, this test's cases only. */
    protected List<TrackedEventMessage<?>> track(TrackingToken token) {
        List<TrackedEventMessage<?>> mine = new ArrayList<>();
        Set<String> ids = Set.copyOf(caseIds);
        TrackingToken position = token;
        while (true) {
            List<TrackedEventMessage<?>> batch;
            try (Stream<? extends TrackedEventMessage<?>> stream = engine.readEvents(position, false)) {
                batch = new ArrayList<>(stream.toList());
            }
            if (batch.isEmpty()) {
                return mine;
            }
            position = batch.get(batch.size() - 1).trackingToken();
            batch.stream().filter(e -> e instanceof DomainEventMessage<?> d && ids.contains(d.getAggregateIdentifier()))
                    .forEach(mine::add);
        }
    }

    protected static List<String> notes(List<TrackedEventMessage<?>> events) {
        return events.stream().map(e -> ((CaseAccepted) e.getPayload()).getNote()).toList();
    }

    protected static DomainEventMessage<CaseState> snapshot(String caseId, long sequence, String state) {
        return new GenericDomainEventMessage<>("Case", caseId, sequence, new CaseState(state, sequence));
    }

    /** A stand-in for an aggregate's state in a snapshot. */
    public record CaseState(String summary, long version) {
    }
}
