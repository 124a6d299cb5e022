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
 *
 * <p>Where the log is a store apart from the ledger (the KurrentDB engine), a request's events can
 * be appended without its record: the process died between the append and the SQL commit, or the
 * append's answer was lost and the command was answered UNAVAILABLE although its events landed.
 * There a request the ledger does not know is looked for in the case's latest events too (their
 * {@code requestId} and {@code actorId} metadata): found, its outcome is rebuilt from them, recorded,
 * and returned, and the command does not run again.
 */
public final class RequestLedger implements MessageHandlerInterceptor<CommandMessage<?>> {

    /** Command metadata: the fingerprint of the whole request, to tell a retry from a reuse of its id. */
    public static final String FINGERPRINT = "minqing.request-fingerprint";

    /** How many of a case's latest events may hold a request that lost its record: its retry comes soon. */
    static final int LOOK_BACK = 32;

    private final JdbcTemplate jdbc;
    private final EventStore eventStore;
    private final DatabaseCaseLock caseLock;
    private final Clock clock;
    private final boolean logApart;

    /**
     * @param logApart whether the log is a store apart from the ledger's database, so that a
     *                 request's events may be there without its record
     */
    public RequestLedger(JdbcTemplate jdbc, EventStore eventStore, DatabaseCaseLock caseLock, Clock clock,
                         boolean logApart) {
        this.jdbc = jdbc;
        this.eventStore = eventStore;
        this.caseLock = caseLock;
        this.clock = clock;
        this.logApart = logApart;
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
        List<? extends EventMessage<?>> landed = logApart ? landedWithoutRecord(command, request) : List.of();
        if (!landed.isEmpty()) {
            return record(request, outcome(command, landed));
        }
        // The events noted before this command are other commands' of the same batch.
        int before = PromptEventStore.appliedIn(unitOfWork).size();
        chain.proceed();
        List<EventMessage<?>> applied = PromptEventStore.appliedIn(unitOfWork);
        return record(request, outcome(command, applied.subList(before, applied.size())));
    }

    private CaseChange record(Request request, CaseChange outcome) {
        // A concurrent run of the same request that commits first makes this insert fail: this
        // whole unit of work rolls back, and the retry finds that run's outcome.
        jdbc.update("INSERT INTO command_request (principal, request_id, method, fingerprint, response, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                request.principal(), request.id(), request.method(), request.fingerprint(), outcome.toByteArray(),
                clock.instant().atOffset(ZoneOffset.UTC));
        return outcome;
    }

    /**
     * The events of the request among the case's latest {@value #LOOK_BACK}, if an earlier run of it
     * appended them and its record was lost; a request id used before for another method is refused
     * as the ledger refuses it.
     */
    private List<? extends DomainEventMessage<?>> landedWithoutRecord(CaseCommand command, Request request) {
        long last = eventStore.lastSequenceNumberFor(command.caseId()).orElse(-1L);
        if (last < 0) {
            return List.of();
        }
        List<? extends DomainEventMessage<?>> found = eventStore.readEvents(command.caseId(),
                        Math.max(0, last - LOOK_BACK + 1)).asStream()
                .filter(event -> request.id().equals(event.getMetaData().get(EventMetadata.REQUEST_ID))
                        && request.principal().equals(event.getMetaData().get(EventMetadata.ACTOR_ID)))
                .toList();
        String method = found.isEmpty() ? null : String.valueOf(found.get(0).getMetaData().get(EventMetadata.METHOD));
        if (method != null && !method.equals(request.method())) {
            throw new RequestIdReusedException(request.id(), method);
        }
        return found;
    }

    /** The case's revision after the command, and each event it applied with the case and revision it got. */
    private CaseChange outcome(CaseCommand command, List<? extends EventMessage<?>> applied) {
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
