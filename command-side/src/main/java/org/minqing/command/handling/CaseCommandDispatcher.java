package org.minqing.command.handling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Message;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.minqing.command.cases.CaseCommand;
import org.springframework.stereotype.Component;

/**
 * Dispatches a case command and reports its {@link CommandOutcome}: the events it recorded and
 * the case's revision afterwards, so a client knows when the read models have caught up.
 *
 * <p>The command bus handles a command in the dispatching thread, and the event store hands the
 * unit of work's events to its dispatch interceptors as it commits them; a thread-local recording
 * around the dispatch therefore sees exactly this command's events.
 */
@Component
public class CaseCommandDispatcher {

    private static final ThreadLocal<List<EventMessage<?>>> RECORDING = new ThreadLocal<>();

    private final CommandGateway commandGateway;
    private final EventStore eventStore;

    public CaseCommandDispatcher(CommandGateway commandGateway, EventStore eventStore) {
        this.commandGateway = commandGateway;
        this.eventStore = eventStore;
        eventStore.registerDispatchInterceptor(events -> {
            List<EventMessage<?>> recording = RECORDING.get();
            if (recording != null) {
                recording.addAll(events);
            }
            return (index, event) -> event;
        });
    }

    /** Handles {@code command} with the given metadata; throws what the handler threw. */
    public CommandOutcome dispatch(CaseCommand command, Map<String, ?> metadata) {
        List<EventMessage<?>> recorded = new ArrayList<>();
        RECORDING.set(recorded);
        try {
            commandGateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metadata));
        } finally {
            RECORDING.remove();
        }
        long lastSequence = -1;
        List<String> types = new ArrayList<>();
        for (EventMessage<?> event : recorded) {
            if (event.getPayload() instanceof Message message) {
                types.add(message.getDescriptorForType().getFullName());
            }
            if (event instanceof DomainEventMessage<?> domainEvent
                    && domainEvent.getAggregateIdentifier().equals(command.caseId())) {
                lastSequence = Math.max(lastSequence, domainEvent.getSequenceNumber());
            }
        }
        if (lastSequence < 0) {
            lastSequence = eventStore.lastSequenceNumberFor(command.caseId()).orElse(-1L);
        }
        return new CommandOutcome(command.caseId(), lastSequence + 1, List.copyOf(types));
    }
}
