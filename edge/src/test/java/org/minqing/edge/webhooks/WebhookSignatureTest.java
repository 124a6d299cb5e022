package org.minqing.edge.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The example of the Standard Webhooks specification (standardwebhooks.com). */
    @Test
    void signsAsTheStandardWebhooksExample() {
        byte[] key = WebhookSignature.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "example");
        assertThat(WebhookSignature.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aSecretMustBeWhsecAndEnoughBase64() {
        assertThatThrownBy(() -> WebhookSignature.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "s1")).hasMessageContaining("whsec_");
        assertThatThrownBy(() -> WebhookSignature.key("whsec_!!!", "s1")).hasMessageContaining("base64");
        assertThatThrownBy(() -> WebhookSignature.key("whsec_AAAA", "s1")).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> WebhookSignature.key(null, "s1")).hasMessageContaining("subscriptions[s1].secret");
    }
}
