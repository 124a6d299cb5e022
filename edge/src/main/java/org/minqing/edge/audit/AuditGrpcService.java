package org.minqing.edge.audit;

import java.time.Instant;
import java.util.stream.Stream;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.RequestChecks;
import org.minqing.api.requests.ResourceNames;
import org.minqing.api.v1.AuditServiceGrpc;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.privacy.KeyStates;
import org.minqing.api.v1.ListPersonalDataReadsRequest;
import org.minqing.api.v1.ListPersonalDataReadsResponse;
import org.minqing.api.v1.CaseStateAsOf;
import org.minqing.api.v1.Checkpoint;
import org.minqing.api.v1.CheckpointKey;
import org.minqing.api.v1.ConsistencyProof;
import org.minqing.api.v1.CreateCheckpointRequest;
import org.minqing.api.v1.GetCheckpointKeyRequest;
import org.minqing.api.v1.GetCheckpointRequest;
import org.minqing.api.v1.GetConsistencyProofRequest;
import org.minqing.api.v1.GetInclusionProofRequest;
import org.minqing.api.v1.InclusionProof;
import org.minqing.api.v1.ListCheckpointsRequest;
import org.minqing.api.v1.ListCheckpointsResponse;
import org.minqing.api.v1.CaseVerification;
import org.minqing.api.v1.ExportLogRequest;
import org.minqing.api.v1.GetCaseStateAsOfRequest;
import org.minqing.api.v1.ReplayCaseRequest;
import org.minqing.api.v1.VerifyCaseRequest;
import org.minqing.command.audit.CaseAudit;
import org.minqing.command.audit.merkle.Checkpoints;
import org.minqing.command.audit.merkle.MerkleLog;
import org.minqing.command.deadlines.DeadlinePolicy;
import org.minqing.edge.Responses;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit API over {@link CaseAudit}: read-only, for callers with the {@code auditor} role (as
 * access.proto says and the edge enforces); replays and exports stream with the client's flow control.
 */
public class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {

    private final CaseAudit audit;
    private final SealedStates sealedStates;
    private final PersonalDataReads personalDataReads;
    private final CheckpointAnswers checkpoints;

    public AuditGrpcService(EventStorageEngine engine, @Qualifier("eventSerializer") Serializer eventSerializer,
                            DeadlinePolicy policy, PersonalDataReads personalDataReads, Checkpoints checkpoints,
                            MerkleLog merkleLog, JdbcTemplate jdbc) {
        this.audit = new CaseAudit(engine, eventSerializer, policy);
        this.sealedStates = new SealedStates(new KeyStates(jdbc));
        this.personalDataReads = personalDataReads;
        this.checkpoints = new CheckpointAnswers(checkpoints, merkleLog);
    }

    @Override
    public void replayCase(ReplayCaseRequest request, StreamObserver<AuditedEvent> out) {
        answering(out, request.getName(), () -> {
            String caseId = caseId(request.getName());
            Stream<AuditedEvent> events = audit.events(caseId).map(sealedStates::annotate);
            // the stream carries the citizen's personal data, sealed
            personalDataReads.record(AuditServiceGrpc.getReplayCaseMethod().getFullMethodName(), caseId, "");
            FlowControl.stream(out, events.iterator(), events::close);
        });
    }

    @Override
    public void getCaseStateAsOf(GetCaseStateAsOfRequest request, StreamObserver<CaseStateAsOf> out) {
        answering(out, request.getName(), () -> {
            String caseId = caseId(request.getName());
            FieldViolations violations = new FieldViolations();
            violations.check(request.getAsOfCase() != GetCaseStateAsOfRequest.AsOfCase.ASOF_NOT_SET, "as_of",
                    "required: a revision or a time");
            Instant at = RequestChecks.instant("time", request.hasTime(), request.getTime(), violations);
            violations.throwIfAny();
            out.onNext(request.hasTime()
                    ? audit.stateAt(request.getName(), caseId, at)
                    : audit.stateAtRevision(request.getName(), caseId, request.getRevision()));
            out.onCompleted();
        });
    }

    @Override
    public void verifyCase(VerifyCaseRequest request, StreamObserver<CaseVerification> out) {
        answering(out, request.getName(), () -> {
            out.onNext(audit.verify(request.getName(), caseId(request.getName())));
            out.onCompleted();
        });
    }

    @Override
    public void exportLog(ExportLogRequest request, StreamObserver<AuditedEvent> out) {
        answering(out, "the log", () -> {
            Stream<AuditedEvent> log;
            try {
                log = audit.log(request.getAfter()).map(sealedStates::annotate);
            } catch (IllegalArgumentException invalid) {
                throw new FieldViolations().add("after", invalid.getMessage()).asException();
            }
            personalDataReads.record(AuditServiceGrpc.getExportLogMethod().getFullMethodName(), null,
                    request.getAfter().isEmpty() ? "from the start" : "after " + request.getAfter());
            FlowControl.stream(out, log.iterator(), log::close);
        });
    }

    @Override
    public void listPersonalDataReads(ListPersonalDataReadsRequest request,
                                      StreamObserver<ListPersonalDataReadsResponse> out) {
        Responses.respond(out, () -> personalDataReads.list(request));
    }

    @Override
    public void getCheckpoint(GetCheckpointRequest request, StreamObserver<Checkpoint> out) {
        Responses.respond(out, () -> checkpoints.get(request));
    }

    @Override
    public void listCheckpoints(ListCheckpointsRequest request, StreamObserver<ListCheckpointsResponse> out) {
        Responses.respond(out, () -> checkpoints.list(request));
    }

    @Override
    public void createCheckpoint(CreateCheckpointRequest request, StreamObserver<Checkpoint> out) {
        Responses.respond(out, checkpoints::create);
    }

    @Override
    public void getCheckpointKey(GetCheckpointKeyRequest request, StreamObserver<CheckpointKey> out) {
        Responses.respond(out, checkpoints::key);
    }

    @Override
    public void getInclusionProof(GetInclusionProofRequest request, StreamObserver<InclusionProof> out) {
        Responses.respond(out, () -> checkpoints.inclusion(request));
    }

    @Override
    public void getConsistencyProof(GetConsistencyProofRequest request, StreamObserver<ConsistencyProof> out) {
        Responses.respond(out, () -> checkpoints.consistency(request));
    }

    /** Refusals (NOT_FOUND, OUT_OF_RANGE, …) and store outages (UNAVAILABLE) as the call's status, never UNKNOWN. */
    private static void answering(StreamObserver<?> out, String name, Runnable call) {
        try {
            call.run();
        } catch (CaseAudit.NoHistoryException missing) {
            out.onError(Status.NOT_FOUND.withDescription(name + " has no events").asRuntimeException());
        } catch (CaseAudit.OutsideHistoryException outside) {
            out.onError(Status.OUT_OF_RANGE.withDescription(outside.getMessage()).asRuntimeException());
        } catch (RuntimeException failed) {
            out.onError(Responses.toStatus(failed));
        }
    }

    private static String caseId(String name) {
        FieldViolations violations = new FieldViolations();
        String caseId = ResourceNames.caseId("name", name, violations);
        violations.throwIfAny();
        return caseId;
    }
}
