package org.minqing.edge.http;

import java.util.Base64;
import java.util.Locale;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;

/**
 * A gRPC status as the Connect protocol writes an error: {@code {"code": "invalid_argument",
 * "message": …, "details": [{"type": "google.rpc.BadRequest", "value": <base64>, "debug": {…}}]}},
 * and the HTTP status it travels with on a unary call. The details are the very ones the gRPC answer
 * carries (its {@code grpc-status-details-bin}); {@code debug} is their proto3 JSON, for people
 * reading with curl.
 */
final class ConnectErrors {

    private ConnectErrors() {
    }

    /** Connect's name of a code: {@code INVALID_ARGUMENT} → {@code invalid_argument}. */
    static String code(Status.Code code) {
        return code == Status.Code.CANCELLED ? "canceled" : code.name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status of a unary error (the Connect protocol's table). */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case UNAUTHENTICATED -> 401;
            default -> 500; // UNKNOWN, INTERNAL, DATA_LOSS
        };
    }

    /** The error object of {@code status}, with the details of {@code detailed} (may be null). */
    static Struct error(Status status, com.google.rpc.Status detailed, JsonFormat.TypeRegistry types) {
        Struct.Builder error = Struct.newBuilder().putFields("code", text(code(status.getCode())));
        String message = detailed != null && !detailed.getMessage().isEmpty() ? detailed.getMessage() : status.getDescription();
        if (message != null && !message.isEmpty()) {
            error.putFields("message", text(message));
        }
        if (detailed != null && detailed.getDetailsCount() > 0) {
            ListValue.Builder details = ListValue.newBuilder();
            for (Any detail : detailed.getDetailsList()) {
                details.addValues(Value.newBuilder().setStructValue(detail(detail, types)));
            }
            error.putFields("details", Value.newBuilder().setListValue(details).build());
        }
        return error.build();
    }

    private static Struct detail(Any detail, JsonFormat.TypeRegistry types) {
        String type = detail.getTypeUrl().substring(detail.getTypeUrl().lastIndexOf('/') + 1);
        Struct.Builder shown = Struct.newBuilder()
                .putFields("type", text(type))
                .putFields("value", text(Base64.getEncoder().withoutPadding().encodeToString(detail.getValue().toByteArray())));
        var descriptor = types.find(type);
        if (descriptor != null) {
            try {
                Message message = com.google.protobuf.DynamicMessage.parseFrom(descriptor, detail.getValue());
                Struct.Builder debug = Struct.newBuilder();
                JsonFormat.parser().merge(JsonFormat.printer().usingTypeRegistry(types).print(message), debug);
                shown.putFields("debug", Value.newBuilder().setStructValue(debug).build());
            } catch (InvalidProtocolBufferException unreadable) {
                // the value above is still there for a client that knows the type
            }
        }
        return shown.build();
    }

    static Value text(String text) {
        return Value.newBuilder().setStringValue(text).build();
    }
}
