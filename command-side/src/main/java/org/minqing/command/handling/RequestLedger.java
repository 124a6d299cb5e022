package org.minqing.command.handling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.minqing.api.requests.ResourceNames;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.EventMetadata;
import org.minqing.api.v1.RecordedEvent;
import org.minqing.command.cases.CaseCommand;
import org.minqing.command.cases.CaseCommands.ScheduleVisit;
import org.minqing.command.store.PromptEventStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs each client request at most once (AIP-155), inside the command's own unit of work and so
 * its transaction: the earlier outcome of (caller, request id) is returned without touching
 * the case; otherwise the command runs and its outcome — a {@link CaseChange}, the command's
 * result — is stored with the events it appends, so both are recorded or neither is. On the
 * embedded store the answer is given only once it is durable ({@link BatchingCommandBus}), a
 * repeated answer too.
 *
 * <p>On PostgreSQL, where several command processes may share the log, writers to one case take
 * turns through {@link DatabaseCaseLock} before anything is read; within a process, Axon's
 * aggregate lock does that. Commands without a request id (the server's own deadline breaches)
 * pass through. Records are forgotten after {@code minqing.requests.retention} ({@link RequestRetention}).
 */
public final class RequestLedger implements MessageHandlerInterceptor<CommandMessage<?>> {

    /** Command metadata: the fingerprint of the whole request, to tell a retry from a reuse of its id. */
    public static final String FINGERPRINT = "minqing.request-fingerprint";

    private final JdbcTemplate jdbc;
    private final EventStore eventStore;
    private final DatabaseCaseLock caseLock;
    private final Clock clock;

    public RequestLedger(JdbcTemplate jdbc, EventStore eventStore, DatabaseCaseLock caseLock, Clock clock) {
        this.jdbc = jdbc;
        this.eventStore = eventStore;
        this.caseLock = caseLock;
        this.clock = clock;
    }

    /** SHA-256 over the RPC's name and the request's bytes. */
    public static String fingerprint(String method, Message request) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(method.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(request.toByteArray());
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        MetaData metaData = unitOfWork.getMessage().getMetaData();
        Object requestId = metaData.get(EventMetadata.REQUEST_ID);
        if (!(unitOfWork.getMessage().getPayload() instanceof CaseCommand command) || requestId == null) {
            return chain.proceed();
        }
        Request request = new Request(String.valueOf(metaData.get(EventMetadata.ACTOR_ID)), requestId.toString(),
                String.valueOf(metaData.get(EventMetadata.METHOD)), String.valueOf(metaData.get(FINGERPRINT)));
        caseLock.acquireForTransaction(command.caseId());
        CaseChange earlier = earlierOutcome(request);
        if (earlier != null) {
            return earlier;
        }
        // The events noted before this command are other commands' of the same batch.
        int before = PromptEventStore.appliedIn(unitOfWork).size();
        chain.proceed();
        List<EventMessage<?>> applied = PromptEventStore.appliedIn(unitOfWork);
        CaseChange outcome = outcome(command, applied.subList(before, applied.size()));
        // A concurrent run of the same request that commits first makes this insert fail: this
        // whole unit of work rolls back, and the retry finds that run's outcome.
        jdbc.update("INSERT INTO command_request (principal, request_id, method, fingerprint, response, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                request.principal(), request.id(), request.method(), request.fingerprint(), outcome.toByteArray(),
                clock.instant().atOffset(ZoneOffset.UTC));
        return outcome;
    }

    /** The case's revision after the command, and each event it applied with the case and revision it got. */
    private CaseChange outcome(CaseCommand command, List<EventMessage<?>> applied) {
        CaseChange.Builder change = CaseChange.newBuilder().setCase(ResourceNames.caseName(command.caseId()));
        long lastSequence = -1;
        for (EventMessage<?> event : applied) {
            String type = event.getPayload() instanceof Message message ? message.getDescriptorForType().getFullName() : "";
            if (!type.isEmpty()) {
                change.addEventTypes(type);
            }
            if (event instanceof DomainEventMessage<?> domainEvent) {
                change.addRecordedEvents(RecordedEvent.newBuilder()
                        .setCase(ResourceNames.caseName(domainEvent.getAggregateIdentifier()))
                        .setEventType(type)
                        .setRevision(domainEvent.getSequenceNumber() + 1));
                if (domainEvent.getAggregateIdentifier().equals(command.caseId())) {
                    lastSequence = Math.max(lastSequence, domainEvent.getSequenceNumber());
                }
            }
        }
        if (lastSequence < 0) { // nothing new happened (a repeated report): the case as it is
            lastSequence = eventStore.lastSequenceNumberFor(command.caseId()).orElse(-1L);
        }
        change.setRevision(lastSequence + 1);
        if (command instanceof ScheduleVisit visit) {
            change.setVisit(ResourceNames.visitName(visit.caseId(), visit.visitId()));
        }
        return change.build();
    }

    private CaseChange earlierOutcome(Request request) {
        List<StoredRequest> stored = jdbc.query(
                "SELECT method, fingerprint, response FROM command_request WHERE principal = ? AND request_id = ?",
                (rs, row) -> new StoredRequest(rs.getString(1), rs.getString(2), rs.getBytes(3)),
                request.principal(), request.id());
        if (stored.isEmpty()) {
            return null;
        }
        StoredRequest earlier = stored.get(0);
        if (!earlier.fingerprint().equals(request.fingerprint())) {
            throw new RequestIdReusedException(request.id(), earlier.method());
        }
        try {
            return CaseChange.parseFrom(earlier.response());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored outcome of request " + request.id() + " is unreadable", e);
        }
    }

    private record Request(String principal, String id, String method, String fingerprint) {
    }

    private record StoredRequest(String method, String fingerprint, byte[] response) {
    }
}
