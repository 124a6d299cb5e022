package org.minqing.query.paging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Value;
import org.minqing.api.requests.FieldViolations;

/**
 * Opaque page tokens for keyset pagination (AIP-158): base64url of a protobuf {@code ListValue}
 * holding a fingerprint of the request and the position after which the next page starts. The
 * fingerprint covers every field of the request but the page token and size, so a token used
 * with other filters or another order is refused instead of giving a wrong page.
 */
public final class PageTokens {

    private static final String FIELD = "page_token";
    /** Far longer than any token this API issues (a fingerprint and a short position). */
    private static final int MAX_TOKEN_LENGTH = 1024;

    private PageTokens() {
    }

    /** The fingerprint of a list request: its type and all fields except page_token and page_size. */
    public static String fingerprint(Message request) {
        Message.Builder criteria = request.toBuilder();
        for (String paging : List.of("page_token", "page_size")) {
            FieldDescriptor field = request.getDescriptorForType().findFieldByName(paging);
            if (field != null) {
                criteria.clearField(field);
            }
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(request.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8));
            sha256.update(criteria.build().toByteArray());
            return HexFormat.of().formatHex(sha256.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String encode(String fingerprint, List<String> position) {
        ListValue.Builder token = ListValue.newBuilder().addValues(text(fingerprint));
        position.forEach(value -> token.addValues(text(value)));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.build().toByteArray());
    }

    /**
     * The position a token holds: empty for an empty token (the first page), null after adding
     * a violation when the token is malformed or was issued for a different request.
     */
    public static List<String> decode(String token, String fingerprint, int positionSize, FieldViolations violations) {
        if (token.isEmpty()) {
            return List.of();
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            malformed(violations);
            return null;
        }
        ListValue values;
        try {
            values = ListValue.parseFrom(Base64.getUrlDecoder().decode(token));
        } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
            violations.add(FIELD, "is not a page token from this API");
            return null;
        }
        if (values.getValuesCount() != positionSize + 1
                || values.getValuesList().stream().anyMatch(v -> v.getKindCase() != Value.KindCase.STRING_VALUE)) {
            violations.add(FIELD, "is not a page token from this API");
            return null;
        }
        if (!values.getValues(0).getStringValue().equals(fingerprint)) {
            violations.add(FIELD, "was issued for a different request: keep the filters and order_by of the first "
                    + "page, or start again without a token");
            return null;
        }
        return values.getValuesList().subList(1, values.getValuesCount()).stream().map(Value::getStringValue).toList();
    }

    /** The page size to use: {@code defaultSize} when unset, else 1 to {@code maxSize}. */
    public static int pageSize(int requested, int defaultSize, int maxSize, FieldViolations violations) {
        if (requested == 0) {
            return defaultSize;
        }
        violations.check(requested > 0 && requested <= maxSize, "page_size",
                "must be between 1 and " + maxSize + ", was " + requested);
        return requested;
    }

    /** Reports a token whose content does not parse (a forged or corrupted token). */
    public static void malformed(FieldViolations violations) {
        violations.add(FIELD, "is not a page token from this API");
    }

    private static Value text(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
