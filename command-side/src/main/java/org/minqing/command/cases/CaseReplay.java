package org.minqing.command.cases;

import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.minqing.api.v1.CaseAggregateState;

/**
 * A case's state after a prefix of its history, rebuilt the way Axon's repository rebuilds it: a
 * fresh {@link Case} driven through its own event-sourcing handlers, never snapshots, so the audit
 * answer cannot drift from the rules.
 */
public final class CaseReplay {

    private final AggregateModel<Case> model;

    /** @param parameters what the aggregate's handlers may ask for (as the application's repository has it) */
    public CaseReplay(ParameterResolverFactory parameters) {
        this.model = AnnotatedAggregateMetaModelFactory.inspectAggregate(Case.class, parameters);
    }

    /** The state after applying {@code history} (a prefix of one case's events, in order). */
    public CaseAggregateState stateAfter(List<? extends DomainEventMessage<?>> history) {
        EventSourcedAggregate<Case> aggregate = EventSourcedAggregate.initialize(new Case(), model, null,
                NoSnapshotTriggerDefinition.TRIGGER);
        aggregate.initializeState(DomainEventStream.of(history.stream()));
        return aggregate.invoke(Case::state);
    }
}
