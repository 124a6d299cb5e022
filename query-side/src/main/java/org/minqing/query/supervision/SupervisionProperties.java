package org.minqing.query.supervision;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the supervision queries.
 *
 * @param atRiskShare       a pending deadline is at risk once this share of its time limit is used
 *                          up; above 0, at most 1 (default 0.8)
 * @param timeZone          the zone days, weeks and months are counted in unless a request names one
 *                          (default Asia/Shanghai)
 * @param minimumSample     rankings leave departments with a smaller denominator unranked (default 5)
 * @param watchPollInterval how often a WatchWorklist stream re-reads the worklist (default 1 s)
 */
@ConfigurationProperties("minqing.supervision")
public record SupervisionProperties(Double atRiskShare, String timeZone, Integer minimumSample,
                                    Duration watchPollInterval) {

    public SupervisionProperties {
        atRiskShare = atRiskShare == null ? 0.8 : atRiskShare;
        timeZone = timeZone == null ? "Asia/Shanghai" : timeZone;
        minimumSample = minimumSample == null ? 5 : minimumSample;
        watchPollInterval = watchPollInterval == null ? Duration.ofSeconds(1) : watchPollInterval;
        if (!(atRiskShare > 0 && atRiskShare <= 1)) {
            throw new IllegalArgumentException("minqing.supervision.at-risk-share must be above 0 and at most 1, was "
                    + atRiskShare);
        }
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("minqing.supervision.time-zone: " + e.getMessage());
        }
        if (minimumSample < 1) {
            throw new IllegalArgumentException("minqing.supervision.minimum-sample must be at least 1, was "
                    + minimumSample);
        }
        if (watchPollInterval.isNegative() || watchPollInterval.isZero()) {
            throw new IllegalArgumentException("minqing.supervision.watch-poll-interval must be positive");
        }
    }

    public static SupervisionProperties defaults() {
        return new SupervisionProperties(null, null, null, null);
    }

    /** The at-risk share in thousandths, for exact integer comparisons in SQL. */
    public long atRiskPermille() {
        return Math.round(atRiskShare * 1000);
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }
}
