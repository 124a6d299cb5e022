package org.minqing.command.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.serialization.Serializer;
import org.minqing.api.v1.*;
import org.minqing.command.audit.chain.CaseChainVerifier;
import org.minqing.command.cases.Case;
import org.minqing.command.cases.CaseReplay;
import org.minqing.command.deadlines.DeadlinePolicy;
import org.minqing.transport.Caller;
import org.minqing.transport.FieldViolations;
import org.minqing.transport.RequestChecks;
import org.minqing.transport.ResourceNames;
import org.minqing.transport.Responses;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Service;

/**
 * The audit API, read-only and straight from the event log (no read model in between): replay,
 * state as of a revision or instant, chain verification, and a resumable, flow-controlled export.
 * Only callers with the {@code auditor} role may use it.
 */
@Service
@ConditionalOnBooleanProperty(name = "minqing.roles.audit", matchIfMissing = true)
public class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {

    static final String AUDITOR = "auditor";

    private final EventStorageEngine engine;
    private final Serializer eventSerializer;
    private final CaseReplay replay;

    public AuditGrpcService(EventStorageEngine engine, @Qualifier("eventSerializer") Serializer eventSerializer,
                            DeadlinePolicy policy) {
        this.engine = engine;
        this.eventSerializer = eventSerializer;
        // The handlers' resources as the application's repository has them (see CaseReplay).
        this.replay = new CaseReplay(MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(Case.class),
                new SimpleResourceParameterResolverFactory(Set.of(policy))));
    }

    @Override
    public void replayCase(ReplayCaseRequest request, StreamObserver<AuditedEvent> out) {
        answering(out, () -> doReplayCase(request, out));
    }

    private void doReplayCase(ReplayCaseRequest request, StreamObserver<AuditedEvent> out) {
        String caseId = caseId(request.getName());
        DomainEventStream events = engine.readEvents(caseId, 0);
        if (!events.hasNext()) {
            throw notFound(request.getName());
        }
        Iterator<AuditedEvent> audited = events.asStream()
                .map(event -> AuditedEvents.of(event, eventSerializer)).iterator();
        FlowControl.stream(out, audited, () -> { });
    }

    @Override
    public void getCaseStateAsOf(GetCaseStateAsOfRequest request, StreamObserver<CaseStateAsOf> out) {
        answering(out, () -> doGetCaseStateAsOf(request, out));
    }

    private void doGetCaseStateAsOf(GetCaseStateAsOfRequest request, StreamObserver<CaseStateAsOf> out) {
        String caseId = caseId(request.getName());
        FieldViolations violations = new FieldViolations();
        violations.check(request.getAsOfCase() != GetCaseStateAsOfRequest.AsOfCase.ASOF_NOT_SET, "as_of",
                "required: a revision or a time");
        Instant at = RequestChecks.instant("time", request.hasTime(), request.getTime(), violations);
        violations.throwIfAny();
        List<DomainEventMessage<?>> history = new ArrayList<>();
        engine.readEvents(caseId, 0).forEachRemaining(history::add);
        if (history.isEmpty()) {
            throw notFound(request.getName());
        }
        int revision = switch (request.getAsOfCase()) {
            case REVISION -> {
                if (request.getRevision() < 1 || request.getRevision() > history.size()) {
                    throw Status.OUT_OF_RANGE.withDescription("revision " + request.getRevision()
                            + " is outside the case's history: valid revisions are 1.." + history.size())
                            .asRuntimeException();
                }
                yield (int) request.getRevision();
            }
            case TIME -> {
                int applied = 0;
                while (applied < history.size() && !history.get(applied).getTimestamp().isAfter(at)) {
                    applied++;
                }
                if (applied == 0) {
                    throw Status.OUT_OF_RANGE.withDescription("the case was reported at "
                            + history.get(0).getTimestamp() + ": valid instants are from then on").asRuntimeException();
                }
                yield applied;
            }
            case ASOF_NOT_SET -> throw new IllegalStateException("as_of was checked above");
        };
        List<DomainEventMessage<?>> prefix = history.subList(0, revision);
        out.onNext(CaseStateAsOf.newBuilder()
                .setName(request.getName())
                .setRevision(revision)
                .setTime(AuditedEvents.timestamp(prefix.get(revision - 1).getTimestamp()))
                .setState(replay.stateAfter(prefix))
                .build());
        out.onCompleted();
    }

    @Override
    public void verifyCase(VerifyCaseRequest request, StreamObserver<CaseVerification> out) {
        answering(out, () -> doVerifyCase(request, out));
    }

    private void doVerifyCase(VerifyCaseRequest request, StreamObserver<CaseVerification> out) {
        String caseId = caseId(request.getName());
        CaseChainVerifier verifier = new CaseChainVerifier();
        try (Stream<? extends DomainEventMessage<?>> events = engine.readEvents(caseId, 0).asStream()) {
            events.forEach(event -> verifier.accept(AuditedEvents.chained(AuditedEvents.of(event, eventSerializer))));
        } catch (RuntimeException damaged) {
            // A row the engine cannot even decode: reported as a break, never a crash.
            verifier.unreadable(String.valueOf(damaged.getMessage()));
        }
        if (verifier.events() == 0) {
            throw notFound(request.getName());
        }
        out.onNext(Verifications.of(request.getName(), verifier));
        out.onCompleted();
    }

    @Override
    public void exportLog(ExportLogRequest request, StreamObserver<AuditedEvent> out) {
        answering(out, () -> doExportLog(request, out));
    }

    private void doExportLog(ExportLogRequest request, StreamObserver<AuditedEvent> out) {
        requireAuditor();
        TrackingToken after = null;
        if (!request.getAfter().isEmpty()) {
            try {
                after = ExportPositions.parse(request.getAfter(), engine.createHeadToken());
            } catch (IllegalArgumentException invalid) {
                throw new FieldViolations().add("after", invalid.getMessage()).asException();
            }
        }
        Stream<? extends TrackedEventMessage<?>> log = engine.readEvents(after, false);
        Iterator<AuditedEvent> audited = log
                .filter(event -> event instanceof DomainEventMessage<?>)
                .map(event -> AuditedEvents.of((DomainEventMessage<?>) event, eventSerializer).toBuilder()
                        .setPosition(ExportPositions.format(event.trackingToken())).build())
                .iterator();
        FlowControl.stream(out, audited, log::close);
    }

    /** Refusals (NOT_FOUND, OUT_OF_RANGE, …) and store outages (UNAVAILABLE) as the call's status, never UNKNOWN. */
    private static void answering(StreamObserver<?> out, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException failed) {
            out.onError(Responses.toStatus(failed));
        }
    }

    private static String caseId(String name) {
        requireAuditor();
        FieldViolations violations = new FieldViolations();
        String caseId = ResourceNames.caseId("name", name, violations);
        violations.throwIfAny();
        return caseId;
    }

    private static void requireAuditor() {
        if (!AUDITOR.equals(Caller.current().role())) {
            throw Status.PERMISSION_DENIED.withDescription("the audit service is for callers with the auditor role")
                    .asRuntimeException();
        }
    }

    private static RuntimeException notFound(String name) {
        return Status.NOT_FOUND.withDescription(name + " has no events").asRuntimeException();
    }

}
