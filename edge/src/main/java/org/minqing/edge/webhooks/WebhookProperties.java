package org.minqing.edge.webhooks;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Outbound webhooks (docs/webhooks.md): each subscription receives the change feed of one partner
 * system's cases, entry by entry, in order, until each is acknowledged.
 *
 * @param subscriptions  none by default
 * @param pollInterval   how often the feed is looked at for new entries
 * @param requestTimeout how long a receiver may take to answer one delivery
 * @param maxBackoff     the longest wait between two attempts at a failing delivery (it doubles from 1 s)
 */
@ConfigurationProperties("minqing.webhooks")
public record WebhookProperties(List<Subscription> subscriptions, Duration pollInterval, Duration requestTimeout,
                                Duration maxBackoff) {

    public WebhookProperties {
        subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(10) : maxBackoff;
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Subscription subscription : subscriptions) {
            if (!ids.add(subscription.id())) {
                throw new IllegalArgumentException("minqing.webhooks.subscriptions: two have the id " + subscription.id());
            }
        }
    }

    /**
     * @param id           names the subscription in its state and the operator's view (1–64 letters, digits, - or _)
     * @param organization the partner system whose cases it receives (as its API key's organization)
     * @param url          where each entry is POSTed
     * @param secret       the Standard Webhooks signing secret, {@code whsec_} and base64 of 24–64 random bytes
     * @param eventTypes   only entries of these event types (e.g. minqing.v1.CaseResolved); none: all
     */
    public record Subscription(String id, String organization, URI url, String secret, List<String> eventTypes) {

        public Subscription {
            if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("minqing.webhooks.subscriptions[].id: 1-64 letters, digits, - or _");
            }
            if (organization == null || organization.isBlank()) {
                throw new IllegalArgumentException("minqing.webhooks.subscriptions[" + id + "].organization is required");
            }
            if (url == null || !List.of("http", "https").contains(url.getScheme())) {
                throw new IllegalArgumentException("minqing.webhooks.subscriptions[" + id + "].url must be an http(s) URL");
            }
            WebhookSignature.key(secret, id); // refuses a missing or malformed secret at start-up
            eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        }
    }
}
