package org.minqing.edge.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries the Standard Webhooks way (standardwebhooks.com): HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>} with the subscription's secret, sent as
 * {@code webhook-signature: v1,<base64>}. A receiver checks it with any Standard Webhooks library.
 */
final class WebhookSignature {

    private static final String PREFIX = "whsec_";

    private WebhookSignature() {
    }

    /** The key of a {@code whsec_…} secret. */
    static byte[] key(String secret, String subscription) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("minqing.webhooks.subscriptions[" + subscription
                    + "].secret must be whsec_ followed by base64 of 24-64 random bytes");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("minqing.webhooks.subscriptions[" + subscription
                    + "].secret must be whsec_ followed by base64 of 24-64 random bytes");
        }
        if (key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException("minqing.webhooks.subscriptions[" + subscription
                    + "].secret holds " + key.length + " bytes; it must hold 24-64");
        }
        return key;
    }

    static String sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
