package org.minqing.server.operations;

import java.util.List;

import org.minqing.edge.webhooks.WebhookStates;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/webhooks} on the management port: where each webhook subscription stands — the
 * feed position delivered up to, how many deliveries, the failing attempts at the next one and the
 * last error, which process holds it.
 */
@Endpoint(id = "webhooks")
public class WebhooksEndpoint {

    private final WebhookStates states;

    public WebhooksEndpoint(WebhookStates states) {
        this.states = states;
    }

    @ReadOperation
    public List<WebhookStates.State> subscriptions() {
        return states.all();
    }
}
