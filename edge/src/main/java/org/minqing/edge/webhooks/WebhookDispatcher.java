package org.minqing.edge.webhooks;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.query.timeline.TimelineReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Delivers the change feed to each subscription, one entry at a time, in feed order: an entry is
 * POSTed until its receiver answers 2xx, and only then is the next one sent, so nothing is lost and
 * nothing overtakes (at least once: a delivery whose answer was lost, or that was made just before
 * a crash, is sent again, with the same {@code webhook-id}). A failing receiver is tried again after
 * 1 s, 2 s, 4 s … up to {@code max-backoff}, for as long as it takes; the operator sees it on the
 * management port ({@code /actuator/webhooks}). Runs on its own scheduler, so a slow receiver
 * delays no other background work.
 */
public final class WebhookDispatcher implements ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 50;

    private final TimelineReader feed;
    private final WebhookStates states;
    private final WebhookProperties properties;
    private final Map<String, byte[]> keys;
    private final HttpClient http;
    private final Clock clock;
    private final String owner = "minqing-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    private final Set<String> started = new HashSet<>();
    private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    private volatile boolean stopping;

    public WebhookDispatcher(TimelineReader feed, WebhookStates states, WebhookProperties properties, Clock clock) {
        this.feed = feed;
        this.states = states;
        this.properties = properties;
        this.clock = clock;
        this.keys = properties.subscriptions().stream().collect(Collectors.toUnmodifiableMap(
                WebhookProperties.Subscription::id, s -> WebhookSignature.key(s.secret(), s.id())));
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The application is stopping: no new delivery is begun, so the scheduler's stop waits at most
     * for the one in progress (a request timeout) before the database closes.
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stopping = true;
    }

    /** One round over every subscription this process holds (or can take) the lease of. */
    @Scheduled(initialDelayString = "PT1S", fixedDelayString = "${minqing.webhooks.poll-interval:PT1S}",
            scheduler = WebhooksConfiguration.SCHEDULER)
    public void round() {
        for (WebhookProperties.Subscription subscription : properties.subscriptions()) {
            if (stopping) {
                return;
            }
            try {
                deliver(subscription);
            } catch (DataAccessException away) { // the database is away, or closing
                log.warn("webhook subscription {}: the feed or its state could not be read this round ({}); the next round goes on",
                        subscription.id(), away.getMessage());
            }
        }
    }

    private void deliver(WebhookProperties.Subscription subscription) {
        if (!started.contains(subscription.id())) {
            long head = feed.feedHead();
            states.ensure(subscription.id(), head); // a new subscription receives what comes from now on
            started.add(subscription.id());
            log.info("webhook subscription {} delivers {}'s cases to {} (a new subscription from feed position {})",
                    subscription.id(), subscription.organization(), subscription.url(), head);
        }
        Duration lease = properties.requestTimeout().multipliedBy(3);
        Optional<WebhookStates.State> claimed = states.claim(subscription.id(), owner, clock.instant(), lease);
        if (claimed.isEmpty()) {
            return; // another process delivers this subscription
        }
        WebhookStates.State state = claimed.get();
        if (state.nextAttempt() != null && state.nextAttempt().isAfter(clock.instant())) {
            return;
        }
        int attempts = state.attempts();
        for (TimelineReader.FeedEntry entry : feed.feed(state.feedPosition(), BATCH, subscription.organization())) {
            if (!subscription.eventTypes().isEmpty() && !subscription.eventTypes().contains(entry.entry().getEventType())) {
                states.passed(subscription.id(), owner, entry.position());
                continue;
            }
            if (stopping || states.claim(subscription.id(), owner, clock.instant(), lease).isEmpty()) {
                return; // stopping, or the lease ran out and another process took over
            }
            String failure = post(subscription, entry.entry());
            Instant now = clock.instant();
            if (failure != null) {
                attempts++;
                Duration wait = backoff(attempts);
                states.failed(subscription.id(), owner, attempts, now.plus(wait), failure);
                log.warn("webhook subscription {}: delivery of {} failed ({}), attempt {}; next in {}",
                        subscription.id(), entry.entry().getName(), failure, attempts, wait);
                return;
            }
            states.delivered(subscription.id(), owner, entry.position(), now);
            attempts = 0;
        }
    }

    /** 1 s, 2 s, 4 s … up to max-backoff. */
    Duration backoff(int attempts) {
        Duration wait = Duration.ofSeconds(1L << Math.min(attempts - 1, 30));
        return wait.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : wait;
    }

    /** Null when the receiver took it (2xx); else what went wrong. */
    private String post(WebhookProperties.Subscription subscription, TimelineEntry entry) {
        String id = subscription.id() + "/" + entry.getName(); // the same for every attempt at this entry
        long timestamp = clock.instant().getEpochSecond();
        byte[] body = body(entry);
        HttpRequest request = HttpRequest.newBuilder(subscription.url()).timeout(properties.requestTimeout())
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(keys.get(subscription.id()), id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted (the server is stopping)";
        }
    }

    /** {@code {"type": <event type>, "timestamp": <event time>, "data": <the timeline entry>}}. */
    private byte[] body(TimelineEntry entry) {
        try {
            Struct.Builder data = Struct.newBuilder();
            JsonFormat.parser().merge(printer.print(entry), data);
            Struct message = Struct.newBuilder()
                    .putFields("type", Value.newBuilder().setStringValue(entry.getEventType()).build())
                    .putFields("timestamp", Value.newBuilder().setStringValue(
                            com.google.protobuf.util.Timestamps.toString(entry.getEventTime())).build())
                    .putFields("data", Value.newBuilder().setStructValue(data).build())
                    .build();
            return printer.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a timeline entry is always printable", e);
        }
    }
}
