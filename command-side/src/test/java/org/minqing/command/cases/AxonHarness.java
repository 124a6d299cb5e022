package org.minqing.command.cases;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.axonframework.commandhandling.AnnotationCommandHandlerAdapter;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.minqing.command.deadlines.DeadlinePolicy;
import org.minqing.command.handling.EventClock;

/**
 * Real Axon infrastructure in memory: an event store, an event-sourcing repository for cases, a
 * command bus with the case's handlers and {@link MergeCaseHandler}, and a gateway, as the
 * transport will use them (minus Spring).
 */
final class AxonHarness implements AutoCloseable {

    final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();
    final EmbeddedEventStore eventStore = EmbeddedEventStore.builder().storageEngine(storage).build();
    final EventSourcingRepository<Case> repository;
    final CommandGateway gateway;

    private final EventClock eventClock;

    AxonHarness(DeadlinePolicy policy) {
        this(policy, Clock.systemUTC());
    }

    /** With {@code clock} as the application's clock: the handlers read it, the events are stamped by it. */
    AxonHarness(DeadlinePolicy policy, Clock clock) {
        eventClock = new EventClock(clock);
        eventClock.afterPropertiesSet();
        // The repository builds the aggregate model the handlers run on, so it too must know the
        // resources, or dispatching fails ("No resource of type DeadlinePolicy").
        ParameterResolverFactory parameters = MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(Case.class),
                new SimpleResourceParameterResolverFactory(Set.of(policy, clock)));
        repository = EventSourcingRepository.builder(Case.class)
                .eventStore(eventStore)
                .parameterResolverFactory(parameters)
                .build();
        SimpleCommandBus commandBus = SimpleCommandBus.builder().build();
        AggregateAnnotationCommandHandler.<Case>builder()
                .aggregateType(Case.class)
                .repository(repository)
                .parameterResolverFactory(parameters)
                .build()
                .subscribe(commandBus);
        new AnnotationCommandHandlerAdapter<>(new MergeCaseHandler(repository)).subscribe(commandBus);
        gateway = DefaultCommandGateway.builder().commandBus(commandBus).build();
    }

    /** Stores {@code events} as the history of {@code caseId}, as if they had happened. */
    void given(String caseId, List<Object> events) {
        List<GenericDomainEventMessage<?>> messages = new ArrayList<>();
        long sequence = eventStore.lastSequenceNumberFor(caseId).map(n -> n + 1).orElse(0L);
        for (Object event : CaseHistory.forCase(caseId, events)) {
            messages.add(new GenericDomainEventMessage<>("Case", caseId, sequence++, event));
        }
        eventStore.publish(messages);
    }

    /** Every event of the case, oldest first. */
    List<Object> events(String caseId) {
        return eventStore.readEvents(caseId).asStream().map(Message::getPayload).<Object>map(p -> p).toList();
    }

    /** The whole state the repository rebuilds from the stored events, as command handlers see it. */
    org.minqing.api.v1.CaseAggregateState state(String caseId) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            return repository.load(caseId).invoke(CaseReplay::stateOf);
        } finally {
            unitOfWork.rollback();
        }
    }

    /** The status the repository rebuilds from the stored events. */
    CaseStatus status(String caseId) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null); // loading needs one
        try {
            return repository.load(caseId).invoke(Case::status);
        } finally {
            unitOfWork.rollback();
        }
    }

    @Override
    public void close() {
        eventStore.shutDown();
        eventClock.destroy();
    }
}
