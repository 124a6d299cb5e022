package org.minqing.api.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.rpc.BadRequest;

/**
 * Collects everything wrong with a request, then refuses it once with an
 * {@link InvalidRequestException} whose {@code google.rpc.BadRequest} names each offending field.
 *
 * <pre>{@code
 * FieldViolations violations = new FieldViolations();
 * violations.requireText("title", request.getTitle(), 200);
 * violations.throwIfAny();
 * }</pre>
 */
public final class FieldViolations {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * At most this many violations are reported; the message says how many more there were. Keeps
     * the error (sent in trailers, which clients cap at 8 KiB by default) small whatever the request.
     */
    public static final int MAX_REPORTED = 20;

    /** At most this many characters of a client's value are quoted back in a description. */
    public static final int MAX_ECHO = 32;

    private final List<BadRequest.FieldViolation> violations = new ArrayList<>();
    private int unreported;

    public FieldViolations add(String field, String description) {
        if (violations.size() >= MAX_REPORTED) {
            unreported++;
            return this;
        }
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

    /**
     * An optional text of at most {@code maxLength} characters, without NUL characters (which
     * PostgreSQL cannot store in text).
     */
    public FieldViolations limitText(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            return add(field, "must be at most " + maxLength + " characters, was " + value.length());
        }
        return check(value.indexOf('\0') < 0, field, "must not contain NUL characters");
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

    /**
     * A client's value to quote in a description: at most {@link #MAX_ECHO} characters of it, in
     * quotes, with "..." when cut, so that an error never grows with the request.
     */
    public static String quote(String value) {
        if (value.length() <= MAX_ECHO) {
            return "\"" + value + "\"";
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_ECHO - 1)) ? MAX_ECHO - 1 : MAX_ECHO;
        return "\"" + value.substring(0, end) + "...\" (" + value.length() + " characters)";
    }

    public boolean isEmpty() {
        return violations.isEmpty();
    }

    /** Throws the refusal listing every violation, if there are any. */
    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw asException();
        }
    }

    public InvalidRequestException asException() {
        String summary = violations.isEmpty() ? "invalid request" : violations.stream()
                .map(v -> v.getField() + ": " + v.getDescription())
                .collect(Collectors.joining("; "));
        if (unreported > 0) {
            summary += "; and " + unreported + " more violation" + (unreported == 1 ? "" : "s")
                    + " not listed (at most " + MAX_REPORTED + " are reported)";
        }
        return new InvalidRequestException(summary, BadRequest.newBuilder().addAllFieldViolations(violations).build());
    }
}
