package org.minqing.command.cases;

import static org.minqing.api.v1.ProtoTime.timestamp;

import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.minqing.api.v1.CaseAggregateState;
import org.minqing.api.v1.CaseState;

/**
 * A case's state after a prefix of its history, rebuilt the way Axon's repository rebuilds it: a
 * fresh {@link Case} driven through its own event-sourcing handlers, never snapshots, so the audit
 * answer cannot drift from the rules. The audit view of the state is built here, not in the
 * aggregate, which keeps only what its rules need.
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
        return aggregate.invoke(CaseReplay::stateOf);
    }

    /** Everything the aggregate holds, as the audit service reports it. */
    static CaseAggregateState stateOf(Case c) {
        Assignment assignment = c.assignment();
        DeadlinesInForce deadlines = c.deadlines();
        CaseAggregateState.Builder state = CaseAggregateState.newBuilder()
                .setCaseId(c.caseId() == null ? "" : c.caseId())
                .setState(c.status() == null ? CaseState.CASE_STATE_UNSPECIFIED
                        : CaseState.valueOf("CASE_STATE_" + c.status().name()))
                .setPartnerReference(c.partnerReference() == null ? "" : c.partnerReference())
                .setCategory(c.category() == null ? "" : c.category())
                .setDepartment(c.department())
                .setHandler(c.handler())
                .addAllAssistingDepartments(c.assistingDepartments())
                .setCitizenContacted(c.citizenContacted())
                .setAcknowledged(assignment != null && assignment.acknowledged())
                .setContactedSinceAssignment(assignment != null && assignment.contacted())
                .setResponseBreached(deadlines.responseBreached())
                .setResolutionBreached(deadlines.resolutionBreached());
        c.visits().forEach((id, visit) -> state.putVisits(id, visit.state()));
        if (c.channel() != null) {
            state.setChannel(c.channel());
        }
        if (c.urgency() != null) {
            state.setUrgency(c.urgency());
        }
        if (deadlines.response() != null) {
            state.setResponseDeadline(timestamp(deadlines.response()));
        }
        if (deadlines.resolution() != null) {
            state.setResolutionDeadline(timestamp(deadlines.resolution()));
        }
        if (deadlines.requested() != null) {
            state.setRequestedDeadline(timestamp(deadlines.requested()));
        }
        if (c.latestSatisfaction() != null) {
            state.setLatestSatisfaction(c.latestSatisfaction());
        }
        return state.build();
    }
}
