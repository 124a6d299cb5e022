package org.minqing.command.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.h2.jdbcx.JdbcDataSource;
import org.axonframework.serialization.xml.XStreamSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The store tells tracking streams about events once the unit of work that stored them has
 * committed its transaction, and polls for everyone else's; it notes what a unit of work applied.
 */
class PromptEventStoreTest {

    private final InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    private final SpringTransactionManager transactions = new SpringTransactionManager(new DataSourceTransactionManager(h2()));
    private PromptEventStore store;

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void aStreamIsCalledBackWhenTheUnitOfWorkThatStoredEventsCommitsAndNotBefore() throws Exception {
        store = new PromptEventStore(EmbeddedEventStore.builder().storageEngine(engine), Duration.ofHours(1), XStreamSerializer.defaultSerializer(), caseId -> null);
        TrackingEventStream stream = store.openStream(null);
        Semaphore calls = new Semaphore(0);
        assertThat(stream.setOnAvailableCallback(calls::release)).isTrue();
        assertThat(stream.hasNextAvailable()).isFalse();

        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("command"));
        unitOfWork.attachTransaction(transactions);
        unitOfWork.execute(() -> {
            store.publish(event(0));
            assertThat(PromptEventStore.appliedIn(unitOfWork)).extracting(e -> (Object) e.getPayload()).containsExactly((Object) "event 0");
            assertThat(calls.availablePermits()).as("called back before the commit").isZero();
        });

        assertThat(calls.tryAcquire(5, TimeUnit.SECONDS)).as("called back after the commit").isTrue();
        // The stream reads the store itself: the event is there, though the store's poll is an hour away.
        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("event 0");
    }

    @Test
    void aRolledBackUnitOfWorkCallsNobodyBack() {
        store = new PromptEventStore(EmbeddedEventStore.builder().storageEngine(engine), Duration.ofHours(1), XStreamSerializer.defaultSerializer(), caseId -> null);
        TrackingEventStream stream = store.openStream(null);
        AtomicInteger calls = new AtomicInteger();
        stream.setOnAvailableCallback(calls::incrementAndGet);

        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("command"));
        unitOfWork.attachTransaction(transactions);
        assertThatThrownBy(() -> unitOfWork.execute(() -> {
            store.publish(event(0));
            throw new IllegalStateException("refused");
        })).hasMessage("refused");

        assertThat(calls).hasValue(0);
    }

    @Test
    void eventsAppendedElsewhereAreFoundByPollingAndAClosedStreamIsNoLongerCalled() throws Exception {
        store = new PromptEventStore(EmbeddedEventStore.builder().storageEngine(engine), Duration.ofMillis(20), XStreamSerializer.defaultSerializer(), caseId -> null);
        TrackingEventStream stream = store.openStream(null);
        Semaphore calls = new Semaphore(0);
        stream.setOnAvailableCallback(calls::release);
        assertThat(stream.hasNextAvailable()).isFalse();

        engine.appendEvents(event(0)); // as another process would: not through this store
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!stream.hasNextAvailable() && System.nanoTime() < deadline) {
            assertThat(calls.tryAcquire(1, TimeUnit.SECONDS)).as("polled").isTrue();
        }
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("event 0");

        stream.close();
        calls.drainPermits();
        assertThat(calls.tryAcquire(200, TimeUnit.MILLISECONDS)).as("called after close").isFalse();
    }

    private static GenericDomainEventMessage<String> event(long sequence) {
        return new GenericDomainEventMessage<>("Test", "case-1", sequence, "event " + sequence);
    }

    private static JdbcDataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:prompt-event-store;DB_CLOSE_DELAY=-1");
        return h2;
    }
}
