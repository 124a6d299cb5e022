package org.minqing.edge.commands;

import java.util.Map;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.ResourceNames;
import org.minqing.command.cases.CaseAction;
import org.minqing.command.cases.CaseNotHeldException;
import org.minqing.command.cases.CaseRefusedException;
import org.minqing.command.store.chain.ChainCheckedEvents;
import org.minqing.command.cases.ReportConflictException;
import org.minqing.command.cases.TimeBeforeAssignmentException;
import org.minqing.command.cases.VisitAlreadyExistsException;
import org.minqing.command.cases.VisitNotFoundException;
import org.minqing.command.handling.RequestIdReusedException;
import org.minqing.command.store.EventStoreUnavailableException;
import org.minqing.edge.Caller;
import org.minqing.edge.Refusals;
import org.minqing.edge.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Translates what command handling threw into the gRPC status a client can act on. */
final class CommandErrors {

    private static final Logger log = LoggerFactory.getLogger(CommandErrors.class);

    private CommandErrors() {
    }

    /** @param method the full name of the RPC that failed, for ErrorInfo */
    static StatusRuntimeException toStatus(Throwable thrown, String method) {
        Throwable error = unwrap(thrown);
        if (error instanceof StatusRuntimeException status) {
            return status;
        }
        if (error instanceof CaseRefusedException refused) {
            return refused(refused);
        }
        if (error instanceof ChainCheckedEvents.BrokenChainException broken) {
            // Not the caller's mistake, and nothing it can retry: the store was changed under the case.
            log.error("{} refused: {}", method, broken.getMessage());
            return Status.DATA_LOSS.withDescription(broken.getMessage()).asRuntimeException();
        }
        if (error instanceof CaseNotHeldException notHeld) {
            String caseName = ResourceNames.caseName(notHeld.caseId());
            return Refusals.permissionDenied(Refusals.CASE_NOT_HELD, notHeld.getMessage(), Caller.current(),
                    method, Map.of("case", caseName));
        }
        if (error instanceof VisitNotFoundException missing) {
            return Status.NOT_FOUND.withDescription(
                    "visit " + ResourceNames.visitName(missing.caseId(), missing.visitId()) + " not found")
                    .asRuntimeException();
        }
        if (error instanceof VisitAlreadyExistsException exists) {
            return Status.ALREADY_EXISTS.withDescription(
                    "visit " + ResourceNames.visitName(exists.caseId(), exists.visitId()) + " already exists")
                    .asRuntimeException();
        }
        if (error instanceof ReportConflictException conflict) {
            return Status.ALREADY_EXISTS.withDescription("partner reference "
                    + FieldViolations.quote(conflict.partnerReference()) + " already names "
                    + ResourceNames.caseName(conflict.caseId()) + ", reported with different content;"
                    + " a retry must repeat the report as first sent").asRuntimeException();
        }
        if (error instanceof AggregateNotFoundException missing) {
            return Status.NOT_FOUND.withDescription(
                    "case " + ResourceNames.caseName(String.valueOf(missing.getAggregateIdentifier())) + " not found")
                    .asRuntimeException();
        }
        if (error instanceof TimeBeforeAssignmentException early) {
            return Responses.toStatus(new FieldViolations().add(early.field(), early.getMessage()).asException());
        }
        if (error instanceof RequestIdReusedException reused) {
            return Responses.toStatus(new FieldViolations().add("request_id", reused.getMessage()).asException());
        }
        if (error instanceof ConcurrencyException || error instanceof AggregateStreamCreationException) {
            return Status.ABORTED.withDescription(
                    "the case was changed concurrently by other requests; retry with the same request_id")
                    .asRuntimeException();
        }
        if (error instanceof EventStoreUnavailableException unavailable) {
            log.warn("event store unavailable: {}", unavailable.getMessage());
            return Status.UNAVAILABLE.withDescription("the event store is unavailable; retry with the same request_id")
                    .asRuntimeException();
        }
        if (error instanceof RuntimeException runtime) {
            return Responses.toStatus(runtime); // UNAVAILABLE for store outages, INTERNAL for bugs
        }
        log.error("command failed", error);
        return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }

    /** FAILED_PRECONDITION naming the case's state, with the allowed actions as ErrorInfo metadata. */
    private static StatusRuntimeException refused(CaseRefusedException refused) {
        String subject = ResourceNames.caseName(refused.caseId());
        PreconditionFailure failure = PreconditionFailure.newBuilder()
                .addViolations(PreconditionFailure.Violation.newBuilder()
                        .setType("CASE_STATE")
                        .setSubject(subject)
                        .setDescription(refused.getMessage()))
                .build();
        ErrorInfo info = ErrorInfo.newBuilder()
                .setReason("CASE_ACTION_NOT_ALLOWED")
                .setDomain(Refusals.DOMAIN)
                .putMetadata("case", subject)
                .putMetadata("state", "CASE_STATE_" + refused.status().name())
                .putMetadata("action", refused.action().name())
                .putMetadata("allowed_actions", String.join(",",
                        refused.allowed().stream().map(CaseAction::name).toList()))
                .build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.FAILED_PRECONDITION_VALUE)
                .setMessage(refused.getMessage())
                .addDetails(Any.pack(failure))
                .addDetails(Any.pack(info))
                .build());
    }

    /** Axon may wrap a handler's exception; the domain's own exception is the one that explains. */
    private static Throwable unwrap(Throwable thrown) {
        Throwable error = thrown;
        while ((error instanceof CommandExecutionException || error.getClass() == RuntimeException.class)
                && error.getCause() != null && error.getCause() != error) {
            error = error.getCause();
        }
        return error;
    }
}
