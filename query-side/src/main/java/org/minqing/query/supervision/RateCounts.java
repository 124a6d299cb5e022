package org.minqing.query.supervision;

import com.google.protobuf.util.Durations;
import org.minqing.api.v1.MeanDuration;
import org.minqing.api.v1.Rate;
import org.minqing.api.v1.RateRow;
import org.minqing.api.v1.RankingMetric;
import org.minqing.api.v1.Satisfaction;

/**
 * The rates' definitions, in one place (docs/metrics.md says the same in words): what each fact
 * adds to which count. Each fact counts in the period of its own anchor: an assignment by when it
 * was made, a resolution by when it was made, a follow-up by when it was recorded, a breach by
 * its deadline.
 */
final class RateCounts {

    long assignments;
    long respondedOnTime;
    long responded;
    long responseMillis;
    long returned;
    long resolutions;
    long resolvedOnTime;
    long reopened;
    long resolutionMillis;
    long followUps;
    long solved;
    long satisfied;
    long responseBreaches;
    long resolutionBreaches;

    /** A dispatch or transfer to a department; responded when acknowledged and the citizen contacted. */
    void assignment(long assignedMs, Long responseDeadlineMs, Long respondedMs, boolean wasReturned) {
        assignments++;
        if (respondedMs != null) {
            responded++;
            responseMillis += respondedMs - assignedMs;
            if (responseDeadlineMs == null || respondedMs <= responseDeadlineMs) {
                respondedOnTime++;
            }
        }
        if (wasReturned) {
            returned++;
        }
    }

    /** A resolution (办结); on time when at or before the resolution deadline then in force. */
    void resolution(long handlingStartMs, Long deadlineMs, long resolvedMs, boolean wasReopened) {
        resolutions++;
        resolutionMillis += resolvedMs - handlingStartMs;
        if (deadlineMs == null || resolvedMs <= deadlineMs) {
            resolvedOnTime++;
        }
        if (wasReopened) {
            reopened++;
        }
    }

    /** The follow-up that stands for a resolution. */
    void followUp(boolean wasSolved, String satisfaction) {
        followUps++;
        if (wasSolved) {
            solved++;
        }
        if (Satisfaction.SATISFACTION_SATISFIED.name().equals(satisfaction)
                || Satisfaction.SATISFACTION_BASICALLY_SATISFIED.name().equals(satisfaction)) {
            satisfied++;
        }
    }

    void breach(boolean response) {
        if (response) {
            responseBreaches++;
        } else {
            resolutionBreaches++;
        }
    }

    RateRow.Builder toRow() {
        return RateRow.newBuilder()
                .setResponseRate(rate(respondedOnTime, assignments))
                .setResolutionRate(rate(solved, followUps))
                .setSatisfactionRate(rate(satisfied, followUps))
                .setOnTimeResolutionRate(rate(resolvedOnTime, resolutions))
                .setReturnRate(rate(returned, assignments))
                .setReopenRate(rate(reopened, resolutions))
                .setAverageResponseTime(mean(responseMillis, responded))
                .setAverageResolutionTime(mean(resolutionMillis, resolutions))
                .setResponseBreaches(responseBreaches)
                .setResolutionBreaches(resolutionBreaches);
    }

    Rate rate(RankingMetric metric) {
        RateRow.Builder row = toRow();
        return switch (metric) {
            case RANKING_METRIC_RESPONSE_RATE -> row.getResponseRate();
            case RANKING_METRIC_RESOLUTION_RATE -> row.getResolutionRate();
            case RANKING_METRIC_SATISFACTION_RATE -> row.getSatisfactionRate();
            case RANKING_METRIC_ON_TIME_RESOLUTION_RATE -> row.getOnTimeResolutionRate();
            case RANKING_METRIC_RETURN_RATE -> row.getReturnRate();
            case RANKING_METRIC_REOPEN_RATE -> row.getReopenRate();
            default -> throw new IllegalArgumentException("not a rate: " + metric);
        };
    }

    static Rate rate(long numerator, long denominator) {
        return Rate.newBuilder().setNumerator(numerator).setDenominator(denominator)
                .setValue(denominator == 0 ? 0 : (double) numerator / denominator).build();
    }

    private static MeanDuration mean(long totalMillis, long count) {
        MeanDuration.Builder mean = MeanDuration.newBuilder().setCount(count);
        if (count > 0) {
            mean.setMean(Durations.fromMillis(totalMillis / count));
        }
        return mean.build();
    }
}
