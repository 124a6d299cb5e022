package org.minqing.query.supervision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.minqing.api.requests.FieldViolations;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.DepartmentRanking;
import org.minqing.api.v1.ListDepartmentRankingsRequest;
import org.minqing.api.v1.ListDepartmentRankingsResponse;
import org.minqing.api.v1.ListRatesRequest;
import org.minqing.api.v1.ListRatesResponse;
import org.minqing.api.v1.RankingMetric;
import org.minqing.api.v1.Rate;
import org.minqing.api.v1.RateDimension;
import org.minqing.api.v1.RateRow;
import org.minqing.query.paging.PageTokens;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * ListRates and ListDepartmentRankings. Both are computed whole for the period and then paged by
 * offset: a period has one row per (period, value), a few thousand at most.
 */
public final class SupervisionReports {

    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 1000;
    private static final int MAX_CODE = 128;
    private static final int MAX_MINIMUM_SAMPLE = 10_000;
    /** No report has this many rows; a token past it was not issued by this API. */
    private static final int MAX_OFFSET = 100_000_000;

    private final RateFacts facts;
    private final SupervisionProperties properties;

    public SupervisionReports(JdbcTemplate jdbc, SupervisionProperties properties) {
        this.facts = new RateFacts(jdbc);
        this.properties = properties;
    }

    public ListRatesResponse rates(ListRatesRequest request) {
        FieldViolations violations = new FieldViolations();
        Period period = Period.parse(request.getStartDate(), request.getEndDate(), request.getTimeZone(),
                request.getGranularity(), properties.zone(), violations);
        violations.check(request.getDimension() != RateDimension.UNRECOGNIZED, "dimension", "is not a known dimension");
        RateFacts.Filter filter = filter(request.getDepartment(), request.getDistrict(), request.getGrid(),
                request.getCategory(), request.getChannel(), violations);
        int pageSize = PageTokens.pageSize(request.getPageSize(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, violations);
        String fingerprint = PageTokens.fingerprint(request);
        int offset = offset(request.getPageToken(), fingerprint, violations);
        violations.throwIfAny();

        List<RateRow> rows = new ArrayList<>();
        for (Map.Entry<RateFacts.Key, RateCounts> entry : facts.count(period, request.getDimension(), filter, false).entrySet()) {
            rows.add(entry.getValue().toRow()
                    .setPeriodStart(entry.getKey().periodStart().toString())
                    .setPeriodEnd(period.periodEnd(entry.getKey().periodStart()).toString())
                    .setValue(entry.getKey().value())
                    .build());
        }
        ListRatesResponse.Builder response = ListRatesResponse.newBuilder()
                .addAllRates(page(rows, offset, pageSize));
        if ((long) offset + pageSize < rows.size()) {
            response.setNextPageToken(PageTokens.encode(fingerprint, List.of(Integer.toString(offset + pageSize))));
        }
        return response.build();
    }

    /**
     * Best first. Equal rates (equal fractions, compared exactly) share a rank and the ranks after
     * them skip (1, 1, 3); departments whose denominator is below the minimum sample follow,
     * unranked, by name: a 1/1 must not outrank a 95/100.
     */
    public ListDepartmentRankingsResponse rankings(ListDepartmentRankingsRequest request) {
        FieldViolations violations = new FieldViolations();
        Period period = Period.parse(request.getStartDate(), request.getEndDate(), request.getTimeZone(),
                org.minqing.api.v1.PeriodGranularity.PERIOD_GRANULARITY_DAY, properties.zone(), violations);
        RankingMetric metric = request.getMetric();
        violations.check(metric != RankingMetric.RANKING_METRIC_UNSPECIFIED && metric != RankingMetric.UNRECOGNIZED,
                "metric", "is required: one of the RANKING_METRIC_* rates");
        violations.limitText("district", request.getDistrict(), MAX_CODE);
        int minimumSample = request.getMinimumSample() == 0 ? properties.minimumSample() : request.getMinimumSample();
        violations.check(minimumSample >= 1 && minimumSample <= MAX_MINIMUM_SAMPLE, "minimum_sample",
                "must be between 1 and " + MAX_MINIMUM_SAMPLE + ", was " + minimumSample);
        int pageSize = PageTokens.pageSize(request.getPageSize(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, violations);
        String fingerprint = PageTokens.fingerprint(request);
        int offset = offset(request.getPageToken(), fingerprint, violations);
        violations.throwIfAny();

        RateFacts.Filter filter = new RateFacts.Filter("", request.getDistrict(), "", "", Channel.CHANNEL_UNSPECIFIED);
        boolean lowerIsBetter = metric == RankingMetric.RANKING_METRIC_RETURN_RATE
                || metric == RankingMetric.RANKING_METRIC_REOPEN_RATE;
        Comparator<Rate> better = (a, b) -> {
            int ascending = Long.compare(a.getNumerator() * b.getDenominator(), b.getNumerator() * a.getDenominator());
            return lowerIsBetter ? ascending : -ascending;
        };
        List<DepartmentRanking.Builder> ranked = new ArrayList<>();
        List<DepartmentRanking.Builder> unranked = new ArrayList<>();
        facts.count(period, RateDimension.RATE_DIMENSION_DEPARTMENT, filter, true).forEach((key, counts) -> {
            Rate rate = counts.rate(metric);
            DepartmentRanking.Builder entry = DepartmentRanking.newBuilder().setDepartment(key.value()).setRate(rate);
            if (rate.getDenominator() >= minimumSample) {
                ranked.add(entry);
            } else {
                unranked.add(entry.setInsufficientSample(true));
            }
        });
        ranked.sort(Comparator.<DepartmentRanking.Builder, Rate>comparing(DepartmentRanking.Builder::getRate, better)
                .thenComparing(DepartmentRanking.Builder::getDepartment));
        for (int i = 0; i < ranked.size(); i++) {
            boolean tied = i > 0 && better.compare(ranked.get(i - 1).getRate(), ranked.get(i).getRate()) == 0;
            ranked.get(i).setRank(tied ? ranked.get(i - 1).getRank() : i + 1);
        }
        List<DepartmentRanking> all = new ArrayList<>();
        ranked.forEach(r -> all.add(r.build()));
        unranked.forEach(r -> all.add(r.build())); // already by name: the facts come sorted
        ListDepartmentRankingsResponse.Builder response = ListDepartmentRankingsResponse.newBuilder()
                .addAllDepartmentRankings(page(all, offset, pageSize));
        if ((long) offset + pageSize < all.size()) {
            response.setNextPageToken(PageTokens.encode(fingerprint, List.of(Integer.toString(offset + pageSize))));
        }
        return response.build();
    }

    static RateFacts.Filter filter(String department, String district, String grid, String category, Channel channel,
                                   FieldViolations violations) {
        violations.limitText("department", department, MAX_CODE);
        violations.limitText("district", district, MAX_CODE);
        violations.limitText("grid", grid, MAX_CODE);
        violations.limitText("category", category, MAX_CODE);
        violations.check(channel != Channel.UNRECOGNIZED, "channel", "is not a known channel");
        return new RateFacts.Filter(department, district, grid, category, channel);
    }

    /** The rows from {@code offset} on, at most {@code pageSize}; none past the end. */
    private static <T> List<T> page(List<T> all, int offset, int pageSize) {
        int from = Math.min(offset, all.size());
        return all.subList(from, (int) Math.min((long) from + pageSize, all.size()));
    }

    private static int offset(String token, String fingerprint, FieldViolations violations) {
        List<String> position = PageTokens.decode(token, fingerprint, 1, violations);
        if (position == null || position.isEmpty()) {
            return 0;
        }
        try {
            long offset = Long.parseLong(position.get(0));
            if (offset >= 0 && offset <= MAX_OFFSET) {
                return (int) offset;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        PageTokens.malformed(violations);
        return 0;
    }
}
