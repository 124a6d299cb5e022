package org.minqing.command.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.serialization.Serializer;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.CaseStateAsOf;
import org.minqing.api.v1.CaseVerification;
import org.minqing.command.store.chain.CaseChainVerifier;
import org.minqing.command.cases.Case;
import org.minqing.command.cases.CaseReplay;
import org.minqing.command.deadlines.DeadlinePolicy;

/**
 * What an auditor may ask of the event log, read straight from it (no read model in between):
 * a case's events, its state as of a revision or an instant, the verdict on its chain, and the
 * whole log from a position on. Cases are named by id; {@code name} is only echoed in answers.
 */
public final class CaseAudit {

    private final EventStorageEngine engine;
    private final Serializer eventSerializer;
    private final CaseReplay replay;

    public CaseAudit(EventStorageEngine engine, Serializer eventSerializer, DeadlinePolicy policy) {
        this.engine = engine;
        this.eventSerializer = eventSerializer;
        // The handlers' resources as the application's repository has them (see CaseReplay); a
        // replay runs only the event-sourcing handlers, so the clock is never read.
        this.replay = new CaseReplay(MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(Case.class),
                new SimpleResourceParameterResolverFactory(Set.of(policy, Clock.systemUTC()))));
    }

    /** The case's events in order, read as the caller consumes them. */
    public Stream<AuditedEvent> events(String caseId) {
        DomainEventStream events = engine.readEvents(caseId, 0);
        if (!events.hasNext()) {
            throw new NoHistoryException(caseId);
        }
        return events.asStream().map(event -> AuditedEvents.of(event, eventSerializer));
    }

    /** The state after the first {@code revision} events (1-based, as the API counts). */
    public CaseStateAsOf stateAtRevision(String name, String caseId, long revision) {
        List<DomainEventMessage<?>> history = history(caseId);
        if (revision < 1 || revision > history.size()) {
            throw new OutsideHistoryException("revision " + revision
                    + " is outside the case's history: valid revisions are 1.." + history.size());
        }
        return stateAfter(name, history, (int) revision);
    }

    /** The state after every event recorded at or before {@code at}. */
    public CaseStateAsOf stateAt(String name, String caseId, Instant at) {
        List<DomainEventMessage<?>> history = history(caseId);
        int applied = 0;
        while (applied < history.size() && !history.get(applied).getTimestamp().isAfter(at)) {
            applied++;
        }
        if (applied == 0) {
            throw new OutsideHistoryException("the case was reported at " + history.get(0).getTimestamp()
                    + ": valid instants are from then on");
        }
        return stateAfter(name, history, applied);
    }

    /** The verdict on the case's hash chain; a row the engine cannot even decode is a break, never a crash. */
    public CaseVerification verify(String name, String caseId) {
        CaseChainVerifier verifier = new CaseChainVerifier();
        try (Stream<? extends DomainEventMessage<?>> events = engine.readEvents(caseId, 0).asStream()) {
            events.forEach(event -> verifier.accept(AuditedEvents.chained(AuditedEvents.of(event, eventSerializer))));
        } catch (RuntimeException damaged) {
            verifier.unreadable(String.valueOf(damaged.getMessage()));
        }
        if (verifier.events() == 0) {
            throw new NoHistoryException(caseId);
        }
        return Verifications.of(name, verifier);
    }

    /**
     * Every case event of the log after {@code after} (empty: from the start), each with its
     * position to resume from; close the stream when done.
     *
     * @throws IllegalArgumentException when {@code after} is not a position of this log
     */
    public Stream<AuditedEvent> log(String after) {
        TrackingToken from = after.isEmpty() ? null : ExportPositions.parse(after, engine.createHeadToken());
        Stream<? extends TrackedEventMessage<?>> log = engine.readEvents(from, false);
        return log.filter(event -> event instanceof DomainEventMessage<?>)
                .map(event -> AuditedEvents.of((DomainEventMessage<?>) event, eventSerializer).toBuilder()
                        .setPosition(ExportPositions.format(event.trackingToken())).build())
                .onClose(log::close);
    }

    private List<DomainEventMessage<?>> history(String caseId) {
        List<DomainEventMessage<?>> history = new ArrayList<>();
        engine.readEvents(caseId, 0).forEachRemaining(history::add);
        if (history.isEmpty()) {
            throw new NoHistoryException(caseId);
        }
        return history;
    }

    private CaseStateAsOf stateAfter(String name, List<DomainEventMessage<?>> history, int revision) {
        List<DomainEventMessage<?>> prefix = history.subList(0, revision);
        return CaseStateAsOf.newBuilder()
                .setName(name)
                .setRevision(revision)
                .setTime(AuditedEvents.timestamp(prefix.get(revision - 1).getTimestamp()))
                .setState(replay.stateAfter(prefix))
                .build();
    }

    /** The log holds no event of the case. */
    public static final class NoHistoryException extends RuntimeException {
        NoHistoryException(String caseId) {
            super("case " + caseId + " has no events", null, false, false);
        }
    }

    /** A revision or instant outside the case's history; the message names the valid range. */
    public static final class OutsideHistoryException extends RuntimeException {
        OutsideHistoryException(String message) {
            super(message, null, false, false);
        }
    }
}
