package org.minqing.command.handling;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Forgets request records ({@link RequestLedger}) older than {@code minqing.requests.retention}:
 * a retry after that long is a new request and runs again. The events the request caused stay in
 * the log; only the memory of its id goes. Deleted a batch at a time, so no statement holds many
 * rows; several command processes may run it at once.
 *
 * <p>Measured as {@code minqing.request-ledger.records} (the table's size after the latest
 * round: counting it per scrape would read the whole table) and
 * {@code minqing.request-ledger.expired} (records forgotten).
 */
public class RequestRetention {

    private static final Logger log = LoggerFactory.getLogger(RequestRetention.class);
    private static final int BATCH = 1_000;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Properties properties;
    private final Counter expired;
    private final AtomicLong records = new AtomicLong();

    public RequestRetention(JdbcTemplate jdbc, Clock clock, Properties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.expired = meters.counter("minqing.request-ledger.expired");
        Gauge.builder("minqing.request-ledger.records", records, AtomicLong::get)
                .description("request records kept, as of the latest expiry round").register(meters);
    }

    /**
     * @param retention       how long a request id is remembered (default 30 days)
     * @param expiryInterval  how often expired records are looked for (default 1 hour)
     */
    @ConfigurationProperties("minqing.requests")
    public record Properties(Duration retention, Duration expiryInterval) {

        public Properties {
            retention = retention == null ? Duration.ofDays(30) : retention;
            expiryInterval = expiryInterval == null ? Duration.ofHours(1) : expiryInterval;
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("minqing.requests.retention must be positive, was " + retention);
            }
        }
    }

    /** The scheduled round: a database that is away is tried again next round. */
    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${minqing.requests.expiry-interval:PT1H}")
    void round() {
        try {
            expire();
        } catch (DataAccessException away) {
            log.warn("request records could not be expired this round ({}); the next round tries again", away.getMessage());
        }
    }

    /** Deletes every record older than the retention; returns how many. */
    public int expire() {
        var before = clock.instant().minus(properties.retention()).atOffset(ZoneOffset.UTC);
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.update("""
                    DELETE FROM command_request WHERE (principal, request_id) IN (
                        SELECT principal, request_id FROM command_request WHERE created_at < ?
                        ORDER BY created_at FETCH FIRST %d ROWS ONLY)""".formatted(BATCH), before);
            total += deleted;
        } while (deleted == BATCH);
        expired.increment(total);
        records.set(jdbc.queryForObject("SELECT COUNT(*) FROM command_request", Long.class));
        if (total > 0) {
            log.info("forgot {} request records older than {} (minqing.requests.retention)", total, properties.retention());
        }
        return total;
    }
}
