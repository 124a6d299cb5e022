package org.minqing.edge.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where each subscription's deliveries stand ({@code webhook_subscription_state}), and which process
 * delivers it: the one holding its lease. Every change is made only by the lease holder.
 */
public final class WebhookStates {

    /** One subscription's state, as the operator sees it. */
    public record State(String subscription, long feedPosition, String owner, Instant leaseUntil, int attempts,
                        Instant nextAttempt, String lastError, Instant lastDelivery, long delivered) {
    }

    private final JdbcTemplate jdbc;

    public WebhookStates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Starts a subscription seen for the first time at {@code feedPosition} (it receives what comes after). */
    void ensure(String subscription, long feedPosition) {
        try {
            jdbc.update("""
                    INSERT INTO webhook_subscription_state (subscription, feed_position, attempts, delivered)
                    SELECT ?, ?, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM webhook_subscription_state WHERE subscription = ?)""",
                    subscription, feedPosition, subscription);
        } catch (DuplicateKeyException anotherProcessFirst) {
            // the subscription is started
        }
    }

    /** Takes or renews the lease on a subscription; empty while another process holds it. */
    Optional<State> claim(String subscription, String owner, Instant now, Duration lease) {
        int claimed = jdbc.update("""
                UPDATE webhook_subscription_state SET owner = ?, lease_until = ?
                WHERE subscription = ? AND (owner = ? OR lease_until IS NULL OR lease_until < ?)""",
                owner, at(now.plus(lease)), subscription, owner, at(now));
        return claimed == 0 ? Optional.empty() : jdbc.query("SELECT * FROM webhook_subscription_state WHERE subscription = ?",
                WebhookStates::state, subscription).stream().findFirst();
    }

    void delivered(String subscription, String owner, long feedPosition, Instant now) {
        jdbc.update("""
                UPDATE webhook_subscription_state SET feed_position = ?, attempts = 0, next_attempt = NULL,
                    last_error = NULL, last_delivery = ?, delivered = delivered + 1
                WHERE subscription = ? AND owner = ?""", feedPosition, at(now), subscription, owner);
    }

    /** An entry the subscription does not take (another event type): passed over. */
    void passed(String subscription, String owner, long feedPosition) {
        jdbc.update("UPDATE webhook_subscription_state SET feed_position = ? WHERE subscription = ? AND owner = ?",
                feedPosition, subscription, owner);
    }

    void failed(String subscription, String owner, int attempts, Instant nextAttempt, String error) {
        jdbc.update("""
                UPDATE webhook_subscription_state SET attempts = ?, next_attempt = ?, last_error = ?
                WHERE subscription = ? AND owner = ?""",
                attempts, at(nextAttempt), error.length() > 1000 ? error.substring(0, 1000) : error, subscription, owner);
    }

    public List<State> all() {
        return jdbc.query("SELECT * FROM webhook_subscription_state ORDER BY subscription", WebhookStates::state);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static State state(ResultSet rs, int row) throws SQLException {
        return new State(rs.getString("subscription"), rs.getLong("feed_position"), rs.getString("owner"),
                instant(rs, "lease_until"), rs.getInt("attempts"), instant(rs, "next_attempt"),
                rs.getString("last_error"), instant(rs, "last_delivery"), rs.getLong("delivered"));
    }
}
