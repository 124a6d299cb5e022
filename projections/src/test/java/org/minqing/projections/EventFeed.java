package org.minqing.projections;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.google.protobuf.Message;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.minqing.api.v1.EventMetadata;
import org.minqing.privacy.Envelopes;
import org.minqing.projections.summary.CaseSummaryProjection;
import org.minqing.projections.summary.CaseVisitsProjection;
import org.minqing.projections.supervision.SupervisionProjection;
import org.minqing.projections.timeline.CaseTimelineProjection;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Delivers case events to the projections the way Axon does (through its annotation adapter,
 * so parameter resolution and handler selection are exercised), each case's events numbered
 * from 0, with a clock the test moves and the metadata of an actor the test chooses.
 */
public final class EventFeed {

    private final List<AnnotationEventHandlerAdapter> handlers;
    private final Map<String, Long> nextSequence = new HashMap<>();
    private Instant now;
    private Map<String, String> actor;
    private String partnerSystem = "hotline-12345";

    public EventFeed(Instant start, Object... projections) {
        this.now = start;
        this.handlers = java.util.Arrays.stream(projections).map(AnnotationEventHandlerAdapter::new).toList();
        as("operator-7", "dispatcher", "12345-center");
    }

    /** All projections of this module over {@code jdbc}, timeline summaries in Asia/Shanghai. */
    public static EventFeed allProjections(JdbcTemplate jdbc, Instant start) {
        Envelopes envelopes = TestKeys.envelopes(jdbc);
        return new EventFeed(start, new CaseSummaryProjection(jdbc, envelopes), new CaseVisitsProjection(jdbc, envelopes),
                new CaseTimelineProjection(jdbc, new ProjectionProperties(null)), new SupervisionProjection(jdbc));
    }

    public EventFeed as(String actorId, String role, String organization) {
        actor = Map.of(EventMetadata.ACTOR_ID, actorId, EventMetadata.ACTOR_ROLE, role,
                EventMetadata.ACTOR_ORGANIZATION, organization);
        return this;
    }

    public EventFeed via(String partnerSystem) {
        this.partnerSystem = partnerSystem;
        return this;
    }

    public EventFeed at(Instant time) {
        now = time;
        return this;
    }

    public EventFeed after(Duration duration) {
        now = now.plus(duration);
        return this;
    }

    public Instant now() {
        return now;
    }

    /** Publishes the event as the next of its case, one second after the previous one. */
    public DomainEventMessage<?> publish(Message event) {
        DomainEventMessage<?> message = next(event);
        deliver(message);
        return message;
    }

    /** Delivers a message again, as an at-least-once transport might. */
    public void deliver(DomainEventMessage<?> message) {
        deliverTogether(List.of(message));
    }

    /**
     * Delivers messages in one unit of work, as a processor handles a batch: what the projections
     * keep for the batch is written when it commits.
     */
    public void deliverTogether(List<? extends DomainEventMessage<?>> messages) {
        try {
            ResultMessage<?> result = new BatchingUnitOfWork<>(messages).executeWithResult(() -> {
                EventMessage<?> message = (EventMessage<?>) CurrentUnitOfWork.get().getMessage();
                for (AnnotationEventHandlerAdapter handler : handlers) {
                    if (handler.canHandle(message)) {
                        handler.handle(message);
                    }
                }
                return null;
            });
            if (result.isExceptional()) { // rolled back, as a processor's batch is
                throw result.exceptionResult();
            }
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message of the case as {@link #publish} would make it, without delivering it. */
    public DomainEventMessage<?> next(Message event) {
        String caseId = (String) event.getField(event.getDescriptorForType().findFieldByName("case_id"));
        long sequence = nextSequence.merge(caseId, 1L, Long::sum) - 1;
        Map<String, Object> metaData = new LinkedHashMap<>(actor);
        metaData.put(EventMetadata.PARTNER_SYSTEM, partnerSystem);
        metaData.put(EventMetadata.CORRELATION_ID, "corr-" + caseId);
        metaData.put(EventMetadata.REQUEST_ID, "req-" + caseId + "-" + sequence);
        DomainEventMessage<?> message = new GenericDomainEventMessage<>("Case", caseId, sequence, event, metaData,
                UUID.randomUUID().toString(), now);
        now = now.plusSeconds(1);
        return message;
    }

    /** What a processor reset does before a replay. */
    public void reset() {
        handlers.forEach(AnnotationEventHandlerAdapter::prepareReset);
    }
}
