package org.minqing.command.grpc;

import java.util.Map;
import java.util.function.Function;

import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.EventMetadata;
import org.minqing.command.cases.CaseCommand;
import org.minqing.command.cases.CaseCommands.ScheduleVisit;
import org.minqing.command.handling.CaseCommandDispatcher;
import org.minqing.command.handling.CommandOutcome;
import org.minqing.command.handling.IdempotentCommandGateway;
import org.minqing.transport.Caller;
import org.minqing.transport.CorrelationIdInterceptor;
import org.minqing.transport.FieldViolations;
import org.minqing.transport.ResourceNames;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The common path of every command RPC: validate, run once per request id with the caller's audit
 * metadata, answer with the {@link CaseChange} or the status that explains the refusal.
 */
@Component
@ConditionalOnBooleanProperty(name = "minqing.roles.command", matchIfMissing = true)
public class CommandExecution {

    private final CaseCommandDispatcher dispatcher;
    private final IdempotentCommandGateway idempotentCommands;

    public CommandExecution(CaseCommandDispatcher dispatcher, IdempotentCommandGateway idempotentCommands) {
        this.dispatcher = dispatcher;
        this.idempotentCommands = idempotentCommands;
    }

    Caller caller() {
        return Caller.current();
    }

    /**
     * @param build adds the request's field violations and returns its command (null is fine when
     *              violations were added)
     */
    void run(Message request, String requestId, StreamObserver<CaseChange> response,
             Function<FieldViolations, CaseCommand> build) {
        try {
            FieldViolations violations = new FieldViolations();
            violations.requireId("request_id", requestId);
            CaseCommand command = build.apply(violations);
            violations.throwIfAny();
            Caller caller = Caller.current();
            String method = CaseCommandServiceGrpc.SERVICE_NAME + "/"
                    + request.getDescriptorForType().getName().replaceFirst("Request$", "");
            Map<String, String> metadata = Map.of(
                    EventMetadata.ACTOR_ID, caller.id(),
                    EventMetadata.ACTOR_ROLE, caller.role(),
                    EventMetadata.ACTOR_ORGANIZATION, caller.organization(),
                    EventMetadata.PARTNER_SYSTEM, caller.organization(),
                    EventMetadata.CORRELATION_ID, CorrelationIdInterceptor.current(),
                    EventMetadata.REQUEST_ID, requestId,
                    EventMetadata.METHOD, method);
            CaseChange change = idempotentCommands.execute(command.caseId(), caller.id(), method, requestId, request,
                    () -> toChange(command, dispatcher.dispatch(command, metadata)));
            response.onNext(change);
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(CommandErrors.toStatus(e));
        }
    }

    private static CaseChange toChange(CaseCommand command, CommandOutcome outcome) {
        CaseChange.Builder change = CaseChange.newBuilder()
                .setCase(ResourceNames.caseName(outcome.caseId()))
                .setRevision(outcome.revision())
                .addAllEventTypes(outcome.eventTypes());
        if (command instanceof ScheduleVisit visit) {
            change.setVisit(ResourceNames.visitName(visit.caseId(), visit.visitId()));
        }
        return change.build();
    }
}
