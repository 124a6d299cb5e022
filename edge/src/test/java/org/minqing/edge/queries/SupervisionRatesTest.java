package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.google.protobuf.util.Durations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.*;

/**
 * The rates against hand-computed values, over cases that went on time, late, extended,
 * transferred, returned, reopened and closed (docs/metrics.md has the definitions). All
 * dispatches are on Monday 2026-11-02, 09:00 in Beijing.
 */
class SupervisionRatesTest {

    static final Instant T0 = Instant.parse("2026-11-02T01:00:00Z");
    static final Duration H = Duration.ofHours(1);
    static final Duration D = Duration.ofDays(1);
    static final Duration RESPOND = Duration.ofHours(24);
    static final Duration RESOLVE = Duration.ofDays(7);

    private final SupervisionScenario s = new SupervisionScenario(T0.plus(Duration.ofDays(40)));

    static Instant t(Duration... offsets) {
        Instant t = T0;
        for (Duration d : offsets) {
            t = t.plus(d);
        }
        return t;
    }

    @BeforeEach
    void story() {
        // A: on time all the way, satisfied, closed.
        s.newCase("a", T0);
        s.dispatch("a", "roads", T0, RESPOND, RESOLVE);
        s.respond("a", t(H), t(H.multipliedBy(2)));
        s.resolve("a", t(D.multipliedBy(3)));
        s.feedback("a", t(D.multipliedBy(4)), true, Satisfaction.SATISFACTION_SATISFIED);
        s.close("a", t(D.multipliedBy(4), H));

        // B: late response and resolution (both breached), unsatisfied, reopened, then resolved in time.
        s.newCase("b", T0);
        s.dispatch("b", "roads", T0, RESPOND, RESOLVE);
        s.breach("b", DeadlineKind.DEADLINE_KIND_RESPONSE, t(RESPOND), "roads");
        s.respond("b", t(H.multipliedBy(30)), t(H.multipliedBy(30)));
        s.breach("b", DeadlineKind.DEADLINE_KIND_RESOLUTION, t(RESOLVE), "roads");
        s.resolve("b", t(D.multipliedBy(8)));
        s.feedback("b", t(D.multipliedBy(9)), false, Satisfaction.SATISFACTION_UNSATISFIED);
        s.at(t(D.multipliedBy(9), H), CaseReopened.newBuilder().setCaseId("b").setDepartment("roads")
                .setDeadlines(org.minqing.projections.SampleEvents.deadlines(null, t(D.multipliedBy(16)))).build());
        s.resolve("b", t(D.multipliedBy(10)));
        s.feedback("b", t(D.multipliedBy(11)), true, Satisfaction.SATISFACTION_BASICALLY_SATISFIED);
        s.close("b", t(D.multipliedBy(11), H));

        // C: extended to day 10, resolved on day 9: on time against the extension.
        s.newCase("c", T0);
        s.dispatch("c", "water", T0, RESPOND, RESOLVE);
        s.respond("c", t(H), t(H));
        s.at(t(D.multipliedBy(5)), ExtensionRequested.newBuilder().setCaseId("c")
                .setRequestedDeadline(org.minqing.projections.SampleEvents.ts(t(D.multipliedBy(10)))).build());
        s.at(t(D.multipliedBy(5), H), ExtensionApproved.newBuilder().setCaseId("c")
                .setResolutionDeadline(org.minqing.projections.SampleEvents.ts(t(D.multipliedBy(10)))).build());
        s.resolve("c", t(D.multipliedBy(9)));
        s.feedback("c", t(D.multipliedBy(10)), true, Satisfaction.SATISFACTION_SATISFIED);

        // D: roads never answered; transferred to water after 20 h, which answered and resolved in time.
        s.newCase("d", T0);
        s.dispatch("d", "roads", T0, RESPOND, RESOLVE);
        s.at(t(H.multipliedBy(20)), CaseTransferred.newBuilder().setCaseId("d").setFromDepartment("roads")
                .setDepartment("water").setDeadlines(org.minqing.projections.SampleEvents.deadlines(
                        t(H.multipliedBy(44)), t(H.multipliedBy(20), RESOLVE))).build());
        s.respond("d", t(H.multipliedBy(21)), t(H.multipliedBy(22)));
        s.resolve("d", t(D.multipliedBy(5)));
        s.feedback("d", t(D.multipliedBy(6)), true, Satisfaction.SATISFACTION_SATISFIED);
        s.close("d", t(D.multipliedBy(6), H));

        // E: returned by roads after 2 h, re-dispatched to water, answered, still being handled.
        s.newCase("e", T0);
        s.dispatch("e", "roads", T0, RESPOND, RESOLVE);
        s.at(t(H.multipliedBy(2)), CaseReturned.newBuilder().setCaseId("e").setDepartment("roads").build());
        s.dispatch("e", "water", t(H.multipliedBy(3)), RESPOND, RESOLVE);
        s.respond("e", t(H.multipliedBy(4)), t(H.multipliedBy(4)));
    }

    @AfterEach
    void tearDown() {
        s.close();
    }

    private ListRatesResponse november(RateDimension dimension) {
        return s.call(s.service::listRates, ListRatesRequest.newBuilder().setDimension(dimension)
                .setGranularity(PeriodGranularity.PERIOD_GRANULARITY_MONTH)
                .setStartDate("2026-11-01").setEndDate("2026-11-30").build());
    }

    static Rate rate(long numerator, long denominator) {
        return Rate.newBuilder().setNumerator(numerator).setDenominator(denominator)
                .setValue(denominator == 0 ? 0 : (double) numerator / denominator).build();
    }

    static MeanDuration mean(long count, Duration mean) {
        return MeanDuration.newBuilder().setCount(count).setMean(Durations.fromMillis(mean.toMillis())).build();
    }

    @Test
    void everyRatePerDepartmentMatchesTheHandCount() {
        List<RateRow> rows = november(RateDimension.RATE_DIMENSION_DEPARTMENT).getRatesList();
        assertThat(rows).extracting(RateRow::getValue).containsExactly("roads", "water");

        // roads: assignments a, b, d (transferred away unanswered), e (returned); only a answered in time.
        // resolutions a (3 d, on time), b (8 d, late, reopened), b again (23 h, on time); follow-ups
        // a (solved, satisfied), b (unsolved, unsatisfied), b again (solved, basically satisfied).
        assertThat(rows.get(0)).isEqualTo(RateRow.newBuilder()
                .setPeriodStart("2026-11-01").setPeriodEnd("2026-11-30").setValue("roads")
                .setResponseRate(rate(1, 4))
                .setResolutionRate(rate(2, 3))
                .setSatisfactionRate(rate(2, 3))
                .setOnTimeResolutionRate(rate(2, 3))
                .setReturnRate(rate(1, 4))
                .setReopenRate(rate(1, 3))
                .setAverageResponseTime(mean(2, Duration.ofHours(16)))              // (2 h + 30 h) / 2
                .setAverageResolutionTime(mean(3, Duration.ofMinutes((72 + 192 + 23) * 60 / 3))) // 95 h 40 min
                .setResponseBreaches(1)
                .setResolutionBreaches(1)
                .build());
        // water: c, d (after the transfer), e (after the re-dispatch), all answered in time;
        // resolutions c (9 d, on time by the extension) and d (100 h from the transfer).
        assertThat(rows.get(1)).isEqualTo(RateRow.newBuilder()
                .setPeriodStart("2026-11-01").setPeriodEnd("2026-11-30").setValue("water")
                .setResponseRate(rate(3, 3))
                .setResolutionRate(rate(2, 2))
                .setSatisfactionRate(rate(2, 2))
                .setOnTimeResolutionRate(rate(2, 2))
                .setReturnRate(rate(0, 3))
                .setReopenRate(rate(0, 2))
                .setAverageResponseTime(mean(3, Duration.ofMinutes(80)))            // (1 h + 2 h + 1 h) / 3
                .setAverageResolutionTime(mean(2, Duration.ofHours(158)))           // (216 h + 100 h) / 2
                .build());
    }

    @Test
    void otherDimensionsSliceTheSameFacts() {
        assertThat(november(RateDimension.RATE_DIMENSION_DISTRICT).getRatesList()).singleElement().satisfies(row -> {
            assertThat(row.getValue()).isEqualTo("dongcheng");
            assertThat(row.getResponseRate()).isEqualTo(rate(4, 7));
            assertThat(row.getResolutionRate()).isEqualTo(rate(4, 5));
            assertThat(row.getSatisfactionRate()).isEqualTo(rate(4, 5));
        });
        assertThat(november(RateDimension.RATE_DIMENSION_CHANNEL).getRatesList()).extracting(RateRow::getValue)
                .containsExactly("CHANNEL_HOTLINE_12345");
        assertThat(november(RateDimension.RATE_DIMENSION_CATEGORY).getRatesList()).extracting(RateRow::getValue)
                .containsExactly("roads");
    }

    @Test
    void daysFollowTheTimeZoneAndFactsCountOnTheirOwnDay() {
        ListRatesRequest.Builder days = ListRatesRequest.newBuilder()
                .setGranularity(PeriodGranularity.PERIOD_GRANULARITY_DAY)
                .setStartDate("2026-11-01").setEndDate("2026-11-04").setDepartment("roads");
        // Beijing: dispatched 2 Nov 09:00; b's response deadline (3 Nov 09:00) breached on the 3rd.
        assertThat(s.call(s.service::listRates, days.build()).getRatesList())
                .extracting(RateRow::getPeriodStart, r -> r.getResponseRate().getDenominator(), RateRow::getResponseBreaches)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-11-02", 4L, 0L),
                        org.assertj.core.groups.Tuple.tuple("2026-11-03", 0L, 1L));
        // Honolulu (UTC-10): the same instants are 1 Nov 15:00 and 2 Nov 15:00, and a's resolution
        // (5 Nov 09:00 in Beijing) falls on 4 Nov, inside the days asked for.
        assertThat(s.call(s.service::listRates, days.setTimeZone("Pacific/Honolulu").build()).getRatesList())
                .extracting(RateRow::getPeriodStart, r -> r.getResponseRate().getDenominator(), RateRow::getResponseBreaches,
                        r -> r.getOnTimeResolutionRate().getDenominator())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-11-01", 4L, 0L, 0L),
                        org.assertj.core.groups.Tuple.tuple("2026-11-02", 0L, 1L, 0L),
                        org.assertj.core.groups.Tuple.tuple("2026-11-04", 0L, 0L, 1L));
    }

    @Test
    void weeksBeginOnMondayAndAreClippedToTheRequest() {
        List<RateRow> weeks = s.call(s.service::listRates, ListRatesRequest.newBuilder()
                .setGranularity(PeriodGranularity.PERIOD_GRANULARITY_WEEK).setDepartment("water")
                .setStartDate("2026-11-03").setEndDate("2026-11-30").build()).getRatesList();
        // water's assignments were on the 2nd (outside); c and d resolved on the 7th and 11th.
        assertThat(weeks).extracting(RateRow::getPeriodStart, RateRow::getPeriodEnd,
                        r -> r.getOnTimeResolutionRate().getDenominator())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-11-03", "2026-11-08", 1L),
                        org.assertj.core.groups.Tuple.tuple("2026-11-09", "2026-11-15", 1L));
    }

    @Test
    void anUnknownDepartmentOrDistrictGivesNoRowsNotAnError() {
        assertThat(s.call(s.service::listRates, ListRatesRequest.newBuilder().setStartDate("2026-11-01")
                .setEndDate("2026-11-30").setDepartment("nobody").build()).getRatesList()).isEmpty();
        assertThat(s.call(s.service::listDepartmentRankings, ListDepartmentRankingsRequest.newBuilder()
                .setMetric(RankingMetric.RANKING_METRIC_RESPONSE_RATE).setStartDate("2026-11-01")
                .setEndDate("2026-11-30").setDistrict("nowhere").build()).getDepartmentRankingsList()).isEmpty();
    }

    @Test
    void rankingsPutBetterRatesFirstAndLeaveSmallSamplesUnranked() {
        ListDepartmentRankingsRequest.Builder request = ListDepartmentRankingsRequest.newBuilder()
                .setStartDate("2026-11-01").setEndDate("2026-11-30").setMinimumSample(3);
        assertThat(s.call(s.service::listDepartmentRankings,
                request.setMetric(RankingMetric.RANKING_METRIC_RESPONSE_RATE).build()).getDepartmentRankingsList())
                .extracting(DepartmentRanking::getRank, DepartmentRanking::getDepartment, DepartmentRanking::getInsufficientSample)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "water", false),
                        org.assertj.core.groups.Tuple.tuple(2, "roads", false));
        // return rate: lower is better
        assertThat(s.call(s.service::listDepartmentRankings,
                request.setMetric(RankingMetric.RANKING_METRIC_RETURN_RATE).build()).getDepartmentRankingsList())
                .extracting(DepartmentRanking::getDepartment).containsExactly("water", "roads");
        // water has 2 follow-ups: too few to rank against roads' 3
        assertThat(s.call(s.service::listDepartmentRankings,
                request.setMetric(RankingMetric.RANKING_METRIC_SATISFACTION_RATE).build()).getDepartmentRankingsList())
                .extracting(DepartmentRanking::getRank, DepartmentRanking::getDepartment, DepartmentRanking::getInsufficientSample)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "roads", false),
                        org.assertj.core.groups.Tuple.tuple(0, "water", true));
    }

    @Test
    void equalRatesShareARankAndTheNextRankIsSkipped() {
        // on-time resolution with minimum 2: roads 2/3; water 2/2; parks 4/6 ties roads exactly
        for (int i = 0; i < 6; i++) {
            String id = "p" + i;
            s.newCase(id, T0);
            s.dispatch(id, "parks", T0, RESPOND, RESOLVE);
            s.respond(id, t(H), t(H));
            s.resolve(id, i < 4 ? t(D) : t(D.multipliedBy(8)));
        }
        assertThat(s.call(s.service::listDepartmentRankings, ListDepartmentRankingsRequest.newBuilder()
                .setMetric(RankingMetric.RANKING_METRIC_ON_TIME_RESOLUTION_RATE).setMinimumSample(2)
                .setStartDate("2026-11-01").setEndDate("2026-11-30").build()).getDepartmentRankingsList())
                .extracting(DepartmentRanking::getRank, DepartmentRanking::getDepartment)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "water"),
                        org.assertj.core.groups.Tuple.tuple(2, "parks"),
                        org.assertj.core.groups.Tuple.tuple(2, "roads"));
    }

    @Test
    void aRebuildFromTheLogGivesTheSameNumbers() {
        ListRatesRequest daily = ListRatesRequest.newBuilder().setGranularity(PeriodGranularity.PERIOD_GRANULARITY_DAY)
                .setStartDate("2026-11-01").setEndDate("2026-11-30").build();
        ListRatesResponse live = s.call(s.service::listRates, daily);
        ListRatesResponse monthly = november(RateDimension.RATE_DIMENSION_DEPARTMENT);
        assertThat(s.jdbc.queryForObject("SELECT COUNT(*) FROM supervision_breach", Integer.class)).isEqualTo(2);

        s.rebuild();

        assertThat(s.call(s.service::listRates, daily)).isEqualTo(live);
        assertThat(november(RateDimension.RATE_DIMENSION_DEPARTMENT)).isEqualTo(monthly);
        assertThat(s.jdbc.queryForObject("SELECT COUNT(*) FROM supervision_breach", Integer.class)).isEqualTo(2);
    }

    @Test
    void periodsMustBeBoundedOrderedAndAtMost366Days() {
        assertThat(violations(ListRatesRequest.newBuilder().setEndDate("2026-11-30").build()))
                .containsExactly("start_date");
        assertThat(violations(ListRatesRequest.newBuilder().setStartDate("2026-11-30").setEndDate("2026-11-01").build()))
                .containsExactly("end_date");
        assertThatThrownBy(() -> s.call(s.service::listRates, ListRatesRequest.newBuilder()
                .setStartDate("2026-01-01").setEndDate("2027-01-02").build()))
                .hasMessageContaining("at most 366 days");
        assertThat(violations(ListRatesRequest.newBuilder().setStartDate("2026-01-01").setEndDate("2026-12-31")
                .setTimeZone("Mars/Olympus").setPageSize(5000).build()))
                .containsExactlyInAnyOrder("time_zone", "page_size");
        assertThat(s.call(s.service::listRates, ListRatesRequest.newBuilder().setStartDate("2026-01-01")
                .setEndDate("2027-01-01").build()).getRatesList()).as("366 days is allowed").isNotEmpty();
    }

    @Test
    void datesAreStrictlyYyyyMmDdInTheYears1To9999() {
        for (String bad : List.of("+300000000-01-01", "+999999999-12-31", "+10000-01-01", "-0001-01-01", "0000-01-01",
                "2026-02-30", "2026-1-01", "20261101", "2026-11-01x", "x".repeat(10_000))) {
            assertThat(violations(ListRatesRequest.newBuilder().setStartDate(bad).setEndDate("2026-11-30").build()))
                    .as(bad).containsExactly("start_date");
            assertThat(violations(ListRatesRequest.newBuilder().setStartDate("2026-11-01").setEndDate(bad).build()))
                    .as(bad).containsExactly("end_date");
            assertThat(rankingViolations(ListDepartmentRankingsRequest.newBuilder()
                    .setMetric(RankingMetric.RANKING_METRIC_RESPONSE_RATE).setStartDate(bad).setEndDate(bad).build()))
                    .as(bad).containsExactly("start_date", "end_date");
        }
        assertThat(s.call(s.service::listRates, ListRatesRequest.newBuilder().setStartDate("9999-12-01")
                .setEndDate("9999-12-31").build()).getRatesList()).isEmpty();
        assertThat(s.call(s.service::listRates, ListRatesRequest.newBuilder().setStartDate("0001-01-01")
                .setEndDate("0001-12-31").setTimeZone("Asia/Shanghai").build()).getRatesList()).isEmpty();
    }

    @Test
    void longValuesAreRefusedWithoutEchoingThem() {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> s.call(s.service::listRates,
                ListRatesRequest.newBuilder().setStartDate("s".repeat(10_000)).setEndDate("e".repeat(10_000))
                        .setTimeZone("z".repeat(10_000)).build()));
        assertThat(QueryFixture.violatedFields(error)).containsExactlyInAnyOrder("start_date", "end_date", "time_zone");
        assertThat(((io.grpc.StatusRuntimeException) error).getStatus().getDescription()).hasSizeLessThan(500);
        error = org.assertj.core.api.Assertions.catchThrowable(() -> s.call(s.service::listRates,
                ListRatesRequest.newBuilder().setStartDate("2026-11-01").setEndDate("2026-11-30")
                        .setTimeZone("Mars/" + "z".repeat(50)).build()));
        assertThat(QueryFixture.violatedFields(error)).containsExactly("time_zone");
        assertThat(((io.grpc.StatusRuntimeException) error).getStatus().getDescription())
                .doesNotContain("z".repeat(org.minqing.api.requests.FieldViolations.MAX_ECHO));
    }

    @Test
    void forgedOffsetsInPageTokensAreMalformedOrPastTheEnd() {
        ListRatesRequest rates = ListRatesRequest.newBuilder().setStartDate("2026-11-01").setEndDate("2026-11-30").build();
        ListDepartmentRankingsRequest rankings = ListDepartmentRankingsRequest.newBuilder()
                .setMetric(RankingMetric.RANKING_METRIC_RESPONSE_RATE).setStartDate("2026-11-01").setEndDate("2026-11-30")
                .build();
        for (String offset : List.of("2147483647", "9223372036854775807", "-1", "100000001", "x")) {
            assertThat(violations(rates.toBuilder().setPageToken(token(rates, offset)).build())).as(offset)
                    .containsExactly("page_token");
            assertThat(rankingViolations(rankings.toBuilder().setPageToken(token(rankings, offset)).build())).as(offset)
                    .containsExactly("page_token");
        }
        ListRatesResponse past = s.call(s.service::listRates,
                rates.toBuilder().setPageSize(1000).setPageToken(token(rates, "99999999")).build());
        assertThat(past.getRatesList()).isEmpty();
        assertThat(past.getNextPageToken()).isEmpty();
        ListDepartmentRankingsResponse pastRankings = s.call(s.service::listDepartmentRankings,
                rankings.toBuilder().setPageSize(1000).setPageToken(token(rankings, "99999999")).build());
        assertThat(pastRankings.getDepartmentRankingsList()).isEmpty();
        assertThat(pastRankings.getNextPageToken()).isEmpty();
    }

    private static String token(com.google.protobuf.Message request, String offset) {
        return org.minqing.query.paging.PageTokens.encode(org.minqing.query.paging.PageTokens.fingerprint(request),
                List.of(offset));
    }

    private List<String> rankingViolations(ListDepartmentRankingsRequest request) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(
                () -> s.call(s.service::listDepartmentRankings, request));
        return QueryFixture.violatedFields(error);
    }

    private List<String> violations(ListRatesRequest request) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> s.call(s.service::listRates, request));
        return QueryFixture.violatedFields(error);
    }
}
