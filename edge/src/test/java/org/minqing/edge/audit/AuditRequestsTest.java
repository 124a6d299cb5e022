package org.minqing.edge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.xml.XStreamSerializer;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseStateAsOf;
import org.minqing.api.v1.GetCaseStateAsOfRequest;
import org.minqing.command.deadlines.DeadlinePolicy;
import org.minqing.edge.Caller;

/** The audit API refuses a malformed request naming the field before reading the log (who may call it is the edge's: AuthorizationInterceptor). */
class AuditRequestsTest {

    private static final Caller AUDITOR = new Caller("auditor-1", "auditor", "audit-office");
    // An empty log: nothing is serialized, so any serializer does.
    private final AuditGrpcService audit = new AuditGrpcService(new InMemoryEventStorageEngine(),
            XStreamSerializer.defaultSerializer(), DeadlinePolicy.defaults(),
            // no request here reads personal data, so no read is recorded
            new PersonalDataReads(new org.springframework.jdbc.core.JdbcTemplate()),
            null, null, // no request here asks about checkpoints
            new org.springframework.jdbc.core.JdbcTemplate()); // nor reads a sealed event

    @Test
    void anInvalidOrMissingAsOfIsInvalidArgument() {
        for (GetCaseStateAsOfRequest.Builder bad : List.of(
                GetCaseStateAsOfRequest.newBuilder().setName("cases/c1").setTime(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)),
                GetCaseStateAsOfRequest.newBuilder().setName("cases/c1").setTime(Timestamp.newBuilder().setSeconds(1).setNanos(-1)),
                GetCaseStateAsOfRequest.newBuilder().setName("cases/c1"),
                GetCaseStateAsOfRequest.newBuilder().setName("c1").setRevision(1))) {
            assertThat(asOf(AUDITOR, bad)).as(bad.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
    }

    @Test
    void aCaseWithoutEventsIsNotFound() {
        GetCaseStateAsOfRequest.Builder request = GetCaseStateAsOfRequest.newBuilder().setName("cases/c1").setRevision(1);
        assertThat(asOf(AUDITOR, request)).isEqualTo(Status.Code.NOT_FOUND);
    }

    private Status.Code asOf(Caller caller, GetCaseStateAsOfRequest.Builder request) {
        List<Throwable> errors = new ArrayList<>();
        Caller.runAs(caller, () -> audit.getCaseStateAsOf(request.build(), new StreamObserver<CaseStateAsOf>() {
            @Override
            public void onNext(CaseStateAsOf value) {
                throw new AssertionError("answered " + value);
            }

            @Override
            public void onError(Throwable t) {
                errors.add(t);
            }

            @Override
            public void onCompleted() {
            }
        }));
        assertThat(errors).hasSize(1);
        return ((StatusRuntimeException) errors.get(0)).getStatus().getCode();
    }
}
