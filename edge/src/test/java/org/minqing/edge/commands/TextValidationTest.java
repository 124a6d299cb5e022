package org.minqing.edge.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

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
import org.minqing.api.v1.RequestAssistanceRequest;
import org.minqing.api.v1.Urgency;
import org.minqing.edge.Caller;

/** Command requests go through transport's text checks: PostgreSQL cannot store NUL in text. */
class TextValidationTest {

    /** Refused requests never reach the dispatcher or the gateway. */
    private final CaseCommandGrpcService service = new CaseCommandGrpcService(new CommandExecution(null));

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
