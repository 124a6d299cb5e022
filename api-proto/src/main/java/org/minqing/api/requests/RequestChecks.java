package org.minqing.api.requests;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import org.minqing.api.v1.Attachment;
import org.minqing.api.v1.GeoPoint;
import org.minqing.api.v1.ProtoTime;

/** Checks on request parts that many methods share. Each adds field violations; none throws. */
public final class RequestChecks {

    /** Devices' clocks run a little ahead; a time this far in the future is still accepted. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    public static final int MAX_ATTACHMENTS = 20;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private RequestChecks() {
    }

    /** Attachments: at most {@link #MAX_ATTACHMENTS}, each an absolute URI with a SHA-256. */
    public static void attachments(String field, List<Attachment> attachments, FieldViolations violations) {
        violations.limitSize(field, attachments, MAX_ATTACHMENTS);
        for (int i = 0; i < attachments.size() && i < MAX_ATTACHMENTS; i++) {
            Attachment a = attachments.get(i);
            String at = field + "[" + i + "]";
            violations.requireText(at + ".uri", a.getUri(), 2048);
            if (!a.getUri().isBlank() && !isAbsoluteUri(a.getUri())) {
                violations.add(at + ".uri", "must be an absolute URI");
            }
            violations.check(SHA256.matcher(a.getSha256()).matches(), at + ".sha256",
                    "must be 64 lowercase hex digits (SHA-256 of the file)");
            violations.limitText(at + ".media_type", a.getMediaType(), 255);
        }
    }

    private static boolean isAbsoluteUri(String uri) {
        try {
            return new URI(uri).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A required WGS-84 position. */
    public static void position(String field, boolean present, GeoPoint point, FieldViolations violations) {
        if (!present) {
            violations.add(field, "required");
            return;
        }
        violations.check(point.getLatitude() >= -90 && point.getLatitude() <= 90, field + ".latitude",
                "must be between -90 and 90");
        violations.check(point.getLongitude() >= -180 && point.getLongitude() <= 180, field + ".longitude",
                "must be between -180 and 180");
    }

    /** An optional instant that must be valid; null when absent or invalid. */
    public static Instant instant(String field, boolean present, Timestamp timestamp, FieldViolations violations) {
        if (!present) {
            return null;
        }
        if (!Timestamps.isValid(timestamp)) {
            violations.add(field, "must be a valid timestamp");
            return null;
        }
        return ProtoTime.instant(timestamp);
    }

    /** An optional instant, defaulting to {@code now}, that must not lie in the future. */
    public static Instant pastOrNow(String field, boolean present, Timestamp timestamp, Instant now,
                                    FieldViolations violations) {
        Instant instant = instant(field, present, timestamp, violations);
        if (instant == null) {
            return now;
        }
        violations.check(!instant.isAfter(now.plus(CLOCK_SKEW)), field, "must not be in the future");
        return instant;
    }

    /**
     * An optional list of enum values from {@code allowed}, each at most once. Its size is checked
     * before anything else: a request may pack millions of enum values into a few megabytes.
     */
    public static <E extends Enum<E>> void distinctValues(String field, List<E> values, Set<E> allowed,
                                                          FieldViolations violations) {
        if (values.size() > allowed.size()) {
            violations.add(field, "must list at most " + allowed.size() + " distinct values, has " + values.size());
            return;
        }
        violations.check(allowed.containsAll(values), field, "must be among " + allowed);
        violations.check(values.stream().distinct().count() == values.size(), field, "must not repeat a value");
    }

    /** A list of 1 to {@code max} distinct codes, each non-blank and at most {@code maxLength} long. */
    public static void codes(String field, List<String> codes, int max, int maxLength, FieldViolations violations) {
        if (codes.isEmpty()) {
            violations.add(field, "required: at least one");
            return;
        }
        violations.limitSize(field, codes, max);
        violations.check(codes.size() > max || codes.stream().distinct().count() == codes.size(), field,
                "must not repeat an entry");
        for (int i = 0; i < codes.size() && i < max; i++) {
            violations.requireText(field + "[" + i + "]", codes.get(i), maxLength);
        }
    }
}
