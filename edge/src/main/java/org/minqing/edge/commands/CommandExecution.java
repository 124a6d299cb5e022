package org.minqing.edge.commands;

import java.util.Map;
import java.util.function.Function;

import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.EventMetadata;
import org.minqing.command.cases.CaseCommand;
import org.minqing.command.handling.RequestLedger;
import org.minqing.edge.Caller;
import org.minqing.edge.CorrelationIdInterceptor;

/**
 * The common path of every command RPC: validate, send the command with the caller's audit
 * metadata and the request's identity, answer with the {@link CaseChange} (the command's result,
 * durable by then: {@link RequestLedger}) or the status that explains the refusal.
 */
public class CommandExecution {

    private final CommandGateway commandGateway;

    public CommandExecution(CommandGateway commandGateway) {
        this.commandGateway = commandGateway;
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
        String method = CaseCommandServiceGrpc.SERVICE_NAME + "/"
                + request.getDescriptorForType().getName().replaceFirst("Request$", "");
        try {
            FieldViolations violations = new FieldViolations();
            violations.requireId("request_id", requestId);
            CaseCommand command = build.apply(violations);
            violations.throwIfAny();
            Caller caller = Caller.current();
            Map<String, String> metadata = Map.of(
                    EventMetadata.ACTOR_ID, caller.id(),
                    EventMetadata.ACTOR_ROLE, caller.role(),
                    EventMetadata.ACTOR_ORGANIZATION, caller.organization(),
                    EventMetadata.PARTNER_SYSTEM, caller.organization(),
                    EventMetadata.CORRELATION_ID, CorrelationIdInterceptor.current(),
                    EventMetadata.REQUEST_ID, requestId,
                    EventMetadata.METHOD, method,
                    RequestLedger.FINGERPRINT, RequestLedger.fingerprint(method, request));
            CaseChange change = commandGateway.sendAndWait(
                    GenericCommandMessage.asCommandMessage(command).andMetaData(metadata));
            response.onNext(change);
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(CommandErrors.toStatus(e, method));
        }
    }
}
