package org.minqing.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * Collects everything wrong with a request, then refuses it once with INVALID_ARGUMENT and a
 * {@code google.rpc.BadRequest} that names each offending field.
 *
 * <pre>{@code
 * FieldViolations violations = new FieldViolations();
 * violations.requireText("title", request.getTitle(), 200);
 * violations.throwIfAny();
 * }</pre>
 */
public final class FieldViolations {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final List<BadRequest.FieldViolation> violations = new ArrayList<>();

    public FieldViolations add(String field, String description) {
        violations.add(BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build());
        return this;
    }

    /** Adds a violation unless {@code ok}. */
    public FieldViolations check(boolean ok, String field, String description) {
        if (!ok) {
            add(field, description);
        }
        return this;
    }

    /** A required, non-blank text of at most {@code maxLength} characters. */
    public FieldViolations requireText(String field, String value, int maxLength) {
        if (value.isBlank()) {
            return add(field, "required");
        }
        return limitText(field, value, maxLength);
    }

    /** An optional text of at most {@code maxLength} characters. */
    public FieldViolations limitText(String field, String value, int maxLength) {
        return check(value.length() <= maxLength, field,
                "must be at most " + maxLength + " characters, was " + value.length());
    }

    /** A list of at most {@code maxSize} elements. */
    public FieldViolations limitSize(String field, List<?> values, int maxSize) {
        return check(values.size() <= maxSize, field, "must have at most " + maxSize + " entries, has " + values.size());
    }

    /** An identifier: 1 to 64 letters, digits, '-' or '_'. */
    public FieldViolations requireId(String field, String value) {
        if (value.isEmpty()) {
            return add(field, "required");
        }
        return check(ID.matcher(value).matches(), field, "must be 1 to 64 letters, digits, '-' or '_'");
    }

    public boolean isEmpty() {
        return violations.isEmpty();
    }

    /** Throws INVALID_ARGUMENT listing every violation, if there are any. */
    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw asException();
        }
    }

    public StatusRuntimeException asException() {
        String summary = violations.stream()
                .map(v -> v.getField() + ": " + v.getDescription())
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(summary)
                .addDetails(Any.pack(BadRequest.newBuilder().addAllFieldViolations(violations).build()))
                .build());
    }
}
