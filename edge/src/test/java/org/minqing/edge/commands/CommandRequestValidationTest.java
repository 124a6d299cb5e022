package org.minqing.edge.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.Location;
import org.minqing.api.v1.RejectCaseRequest;
import org.minqing.api.v1.ReportCaseRequest;
import org.minqing.api.v1.RescheduleVisitRequest;
import org.minqing.api.v1.RequestAssistanceRequest;
import org.minqing.api.v1.ScheduleVisitRequest;
import org.minqing.api.v1.Urgency;
import org.minqing.edge.Caller;

/** Command requests are checked before anything runs: texts PostgreSQL cannot store, visits in 9999. */
class CommandRequestValidationTest {

    /** Refused requests never reach the dispatcher or the gateway. */
    private final CaseCommandGrpcService service = new CaseCommandGrpcService(new CommandExecution(null), java.time.Clock.systemUTC(), java.time.Duration.ofDays(365),
            null, new org.minqing.edge.categories.CategoryRegister(null, false));

    @Test
    void textsWithNulAreRefusedNamingTheField() {
        BadRequest refused = refusal(out -> service.reportCase(ReportCaseRequest.newBuilder().setRequestId("r1")
                .setChannel(Channel.CHANNEL_WECHAT).setCitizen(Citizen.newBuilder().setPhone("138\u0000"))
                .setCategory("roads").setUrgency(Urgency.URGENCY_NORMAL).setTitle("pot\u0000hole")
                .setLocation(Location.newBuilder().setDistrict("xicheng")).build(), out));
        assertThat(refused.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                .containsExactly("citizen.phone", "title");
        assertThat(refused.getFieldViolations(1).getDescription()).isEqualTo("must not contain NUL characters");

        assertThat(refusal(out -> service.rejectCase(RejectCaseRequest.newBuilder().setRequestId("r2")
                .setName("cases/c1").setReason("\u0000").build(), out)).getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField).containsExactly("reason");
        assertThat(refusal(out -> service.requestAssistance(RequestAssistanceRequest.newBuilder().setRequestId("r3")
                .setName("cases/c1").addDepartments("wa\u0000ter").build(), out)).getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField).containsExactly("departments[0]");
    }

    @Test
    void aVisitBeyondTheSchedulingHorizonIsRefusedAndOneInThePastIsNot() {
        java.time.Instant now = java.time.Instant.now();
        BadRequest refused = refusal(out -> service.scheduleVisit(ScheduleVisitRequest.newBuilder().setRequestId("r4")
                .setName("cases/c1").setPlace("pump room").addVisitors("zhang-san").setScheduledTime(Timestamps.parseUnchecked("9999-12-31T00:00:00Z"))
                .build(), out));
        assertThat(refused.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                .containsExactly("scheduled_time");
        assertThat(refused.getFieldViolations(0).getDescription()).startsWith("must be at most 365 days ahead");
        assertThat(refusal(out -> service.rescheduleVisit(RescheduleVisitRequest.newBuilder().setRequestId("r5")
                .setName("cases/c1/visits/v1").setScheduledTime(Timestamps.fromMillis(now.plus(java.time.Duration
                        .ofDays(366)).toEpochMilli())).build(), out)).getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField).containsExactly("scheduled_time");
        // Yesterday is not refused (a visit recorded afterwards): with the place left out, only the place is named.
        assertThat(refusal(out -> service.scheduleVisit(ScheduleVisitRequest.newBuilder().setRequestId("r6")
                .setName("cases/c1").addVisitors("zhang-san").setScheduledTime(Timestamps.fromMillis(now.minus(java.time.Duration.ofDays(1))
                        .toEpochMilli())).build(), out)).getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField).containsExactly("place");
    }

    private static BadRequest refusal(java.util.function.Consumer<StreamObserver<CaseChange>> call) {
        List<Throwable> errors = new ArrayList<>();
        Caller.runAs(new Caller("dev", "dispatcher", "dev-console"), () -> call.accept(new StreamObserver<>() {
            @Override
            public void onNext(CaseChange value) {
                throw new AssertionError("accepted: " + value);
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
        com.google.rpc.Status status = StatusProto.fromThrowable(errors.get(0));
        assertThat(status).isNotNull();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        try {
            return status.getDetails(0).unpack(BadRequest.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
