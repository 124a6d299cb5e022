package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.minqing.projections.SampleEvents.dispatched;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.projections.SampleEvents.ts;
import static org.minqing.edge.queries.QueryFixture.SUPERVISOR;
import static org.minqing.edge.queries.QueryFixture.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.ListCasesRequest;
import org.minqing.api.v1.ListCasesResponse;
import org.minqing.query.paging.PageTokens;

class ListCasesTest {

    private static final int CASES = 23;

    private final QueryFixture fixture = new QueryFixture(T0.plus(Duration.ofDays(3)));
    /** What the test published, to compute the expected orders independently of the SQL. */
    private final List<Published> published = new ArrayList<>();

    private record Published(String id, Instant reportTime, Instant updateTime, Instant responseDeadline,
                             Instant resolutionDeadline) {
    }

    /**
     * 23 cases; report times and deadlines repeat so that ties are broken by case id; a third
     * of the cases are not dispatched (no deadlines), half the dispatched have no resolution
     * deadline.
     */
    @BeforeEach
    void cases() {
        for (int i = 0; i < CASES; i++) {
            String id = String.format("case-%02d", i);
            Instant reportTime = T0.plus(Duration.ofHours(i % 7));
            fixture.feed.at(T0.plus(Duration.ofDays(1)).plus(Duration.ofMinutes((i * 37) % 60)));
            fixture.feed.publish(reported(id, reportTime)
                    .setChannel(i % 2 == 0 ? Channel.CHANNEL_HOTLINE_12345 : Channel.CHANNEL_WECHAT)
                    .setCategory(i % 3 == 0 ? "noise" : "water")
                    .setLocation(reported(id, reportTime).getLocationBuilder()
                            .setDistrict(i % 4 == 0 ? "xicheng" : "dongcheng").setGrid("g" + (i % 2)))
                    .build());
            Instant response = null;
            Instant resolution = null;
            if (i % 3 != 0) {
                response = T0.plus(Duration.ofHours((i * 5) % 11));
                resolution = i % 2 == 0 ? T0.plus(Duration.ofDays(7)).plus(Duration.ofHours(i % 5)) : null;
                fixture.feed.publish(CaseAccepted.newBuilder().setCaseId(id).build());
                fixture.feed.publish(dispatched(id, i % 2 == 0 ? "water-bureau" : "housing-bureau", response, resolution)
                        .build());
            }
            published.add(new Published(id, reportTime, fixture.feed.now().minusSeconds(1), response, resolution));
        }
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void theDefaultOrderIsNewestReportFirstWithTiesByCaseId() {
        ListCasesResponse page = list(ListCasesRequest.getDefaultInstance());

        assertThat(page.getCasesList()).extracting(Case::getName)
                .containsExactlyElementsOf(expected("report_time", true, Published::reportTime));
        assertThat(page.getNextPageToken()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"report_time", "report_time desc", "update_time", "update_time desc",
            "response_deadline", "response_deadline desc", "resolution_deadline asc", "resolution_deadline desc"})
    void everyOrderPagesThroughAllCasesWithoutDuplicatesOrGaps(String orderBy) {
        String field = orderBy.split(" ")[0];
        boolean descending = orderBy.endsWith("desc");
        Function<Published, Instant> key = switch (field) {
            case "report_time" -> Published::reportTime;
            case "update_time" -> Published::updateTime;
            case "response_deadline" -> Published::responseDeadline;
            default -> Published::resolutionDeadline;
        };

        List<String> names = listAll(ListCasesRequest.newBuilder().setOrderBy(orderBy), 4);

        assertThat(names).doesNotHaveDuplicates().containsExactlyElementsOf(expected(field, descending, key));
    }

    @Test
    void filtersNarrowTheList() {
        assertThat(names(ListCasesRequest.newBuilder().addStates(CaseState.CASE_STATE_REPORTED)))
                .containsExactlyInAnyOrderElementsOf(ids(i -> i % 3 == 0));
        assertThat(names(ListCasesRequest.newBuilder().addStates(CaseState.CASE_STATE_REPORTED)
                .addStates(CaseState.CASE_STATE_DISPATCHED))).hasSize(CASES);
        assertThat(names(ListCasesRequest.newBuilder().setDepartment("housing-bureau")))
                .containsExactlyInAnyOrderElementsOf(ids(i -> i % 3 != 0 && i % 2 == 1));
        assertThat(names(ListCasesRequest.newBuilder().setDistrict("xicheng")))
                .containsExactlyInAnyOrderElementsOf(ids(i -> i % 4 == 0));
        assertThat(names(ListCasesRequest.newBuilder().setDistrict("dongcheng").setGrid("g1")))
                .containsExactlyInAnyOrderElementsOf(ids(i -> i % 4 != 0 && i % 2 == 1));
        assertThat(names(ListCasesRequest.newBuilder().setCategory("noise")))
                .containsExactlyInAnyOrderElementsOf(ids(i -> i % 3 == 0));
        assertThat(names(ListCasesRequest.newBuilder().setChannel(Channel.CHANNEL_WECHAT)))
                .containsExactlyInAnyOrderElementsOf(ids(i -> i % 2 == 1));
        assertThat(names(ListCasesRequest.newBuilder().setReportTimeFrom(ts(T0.plus(Duration.ofHours(2))))
                .setReportTimeTo(ts(T0.plus(Duration.ofHours(4))))))
                .containsExactlyInAnyOrderElementsOf(ids(i -> i % 7 == 2 || i % 7 == 3));
        assertThat(names(ListCasesRequest.newBuilder().setChannel(Channel.CHANNEL_WECHAT).setCategory("noise")
                .setDepartment("housing-bureau"))).isEmpty();
    }

    @Test
    void aPartnerLearnsWhatChangedSinceItLastLookedFromTheUpdateTimes() {
        List<Instant> updates = published.stream().map(Published::updateTime).sorted().toList();
        Instant since = updates.get(CASES / 3);
        Instant until = updates.get(2 * CASES / 3);
        List<String> changed = published.stream().filter(p -> !p.updateTime().isBefore(since))
                .sorted(java.util.Comparator.comparing(Published::updateTime).thenComparing(Published::id))
                .map(p -> "cases/" + p.id()).toList();
        assertThat(names(ListCasesRequest.newBuilder().setUpdateTimeFrom(ts(since)).setOrderBy("update_time asc")))
                .as("changed at or after %s, oldest change first", since).containsExactlyElementsOf(changed);
        assertThat(names(ListCasesRequest.newBuilder().setUpdateTimeFrom(ts(since)).setUpdateTimeTo(ts(until))))
                .containsExactlyInAnyOrderElementsOf(published.stream()
                        .filter(p -> !p.updateTime().isBefore(since) && p.updateTime().isBefore(until))
                        .map(p -> "cases/" + p.id()).toList());
        assertThat(violations(ListCasesRequest.newBuilder().setUpdateTimeFrom(ts(until)).setUpdateTimeTo(ts(since))))
                .containsExactly("update_time_to");
    }

    @Test
    void aFilteredListPagesToo() {
        ListCasesRequest.Builder water = ListCasesRequest.newBuilder().setCategory("water").setOrderBy("update_time");

        assertThat(listAll(water, 3)).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids(i -> i % 3 != 0));
    }

    @Test
    void queuesFilteredToOneValueKeepTheRequestedOrderAcrossPages() {
        // These lead their ORDER BY with the filtered column, for an index (V6); the result must not change.
        assertThat(listAll(ListCasesRequest.newBuilder().setGrid("g0").setOrderBy("resolution_deadline"), 2))
                .containsExactlyElementsOf(expected("resolution_deadline", false, Published::resolutionDeadline,
                        i -> i % 2 == 0));
        assertThat(listAll(ListCasesRequest.newBuilder().setDepartment("water-bureau")
                .setOrderBy("resolution_deadline asc"), 2))
                .containsExactlyElementsOf(expected("resolution_deadline", false, Published::resolutionDeadline,
                        i -> i % 3 != 0 && i % 2 == 0));
        assertThat(listAll(ListCasesRequest.newBuilder().addStates(CaseState.CASE_STATE_DISPATCHED)
                .setOrderBy("update_time desc"), 3))
                .containsExactlyElementsOf(expected("update_time", true, Published::updateTime, i -> i % 3 != 0));
        // Two states: not one value, so nothing may lead; one order across both.
        assertThat(listAll(ListCasesRequest.newBuilder().addStates(CaseState.CASE_STATE_DISPATCHED)
                .addStates(CaseState.CASE_STATE_REPORTED).setOrderBy("update_time desc"), 5))
                .containsExactlyElementsOf(expected("update_time", true, Published::updateTime));
    }

    @Test
    void listsNeverCarryPersonalData() {
        assertThat(list(ListCasesRequest.getDefaultInstance()).getCasesList()).hasSize(CASES).allSatisfy(c -> {
            assertThat(c.hasCitizen()).isFalse();
            assertThat(c.getLocation().getAddress()).isEmpty();
            assertThat(c.getLocation().hasPosition()).isFalse();
            assertThat(c.getLocation().getDistrict()).isNotEmpty();
        });
    }

    @Test
    void aTokenOnlyWorksWithTheRequestItCameFrom() {
        ListCasesRequest first = ListCasesRequest.newBuilder().setCategory("water").setPageSize(2).build();
        String token = list(first).getNextPageToken();
        assertThat(token).isNotEmpty();

        assertThat(list(first.toBuilder().setPageToken(token).setPageSize(5).build()).getCasesCount())
                .as("the page size may change between pages").isEqualTo(5);
        assertThat(violations(first.toBuilder().setPageToken(token).setCategory("noise")))
                .containsExactly("page_token");
        assertThat(violations(first.toBuilder().setPageToken(token).setOrderBy("update_time")))
                .containsExactly("page_token");
        assertThat(violations(ListCasesRequest.newBuilder().setPageToken("not a token!"))).containsExactly("page_token");
        assertThat(violations(ListCasesRequest.newBuilder().setPageToken(
                Base64.getUrlEncoder().encodeToString("garbage".getBytes())))).containsExactly("page_token");
        assertThat(violations(ListCasesRequest.newBuilder().setPageToken(token.substring(0, token.length() - 4))))
                .containsExactly("page_token");
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        assertThat(violations(ListCasesRequest.newBuilder().setPageSize(1001))).containsExactly("page_size");
        assertThat(violations(ListCasesRequest.newBuilder().setPageSize(-1))).containsExactly("page_size");
        assertThat(violations(ListCasesRequest.newBuilder().setOrderBy("title"))).containsExactly("order_by");
        assertThat(violations(ListCasesRequest.newBuilder().setOrderBy("report_time sideways"))).containsExactly("order_by");
        assertThat(violations(ListCasesRequest.newBuilder().setReportTimeFrom(ts(T0.plusSeconds(1)))
                .setReportTimeTo(ts(T0)))).containsExactly("report_time_to");
        assertThat(violations(ListCasesRequest.newBuilder().addStates(CaseState.CASE_STATE_UNSPECIFIED)))
                .containsExactly("states");
        assertThat(list(ListCasesRequest.newBuilder().setPageSize(1000).build()).getCasesCount()).isEqualTo(CASES);
    }

    @Test
    void repeatedStatesAreBoundedBeforeTheyAreRead() {
        ListCasesRequest.Builder packed = ListCasesRequest.newBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            packed.addStatesValue(CaseState.CASE_STATE_REPORTED_VALUE);
        }
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> violations(packed))).containsExactly("states");
        assertThat(violations(ListCasesRequest.newBuilder().addStates(CaseState.CASE_STATE_REPORTED)
                .addStates(CaseState.CASE_STATE_REPORTED))).containsExactly("states");
    }

    @Test
    void invalidTimestampsAreRefusedNamingTheField() {
        for (com.google.protobuf.Timestamp bad : List.of(
                com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build(),
                com.google.protobuf.Timestamp.newBuilder().setSeconds(253_402_300_800L).build(), // 10000-01-01
                com.google.protobuf.Timestamp.newBuilder().setSeconds(0).setNanos(-1).build())) {
            assertThat(violations(ListCasesRequest.newBuilder().setReportTimeFrom(bad))).containsExactly("report_time_from");
            assertThat(violations(ListCasesRequest.newBuilder().setReportTimeTo(bad).setReportTimeFrom(ts(T0))))
                    .containsExactly("report_time_to");
        }
    }

    @Test
    void codesAreAtMost128CharactersWithoutNul() {
        String tooLong = "x".repeat(129);
        assertThat(violations(ListCasesRequest.newBuilder().setDepartment(tooLong).setDistrict(tooLong)
                .setGrid(tooLong).setCategory(tooLong))).containsExactlyInAnyOrder("department", "district", "grid", "category");
        assertThat(violations(ListCasesRequest.newBuilder().setCategory("wa\u0000ter"))).containsExactly("category");
        assertThat(list(ListCasesRequest.newBuilder().setCategory("x".repeat(128)).build()).getCasesList()).isEmpty();
    }

    @Test
    void aLongOrderByIsRefusedWithoutEchoingIt() {
        Throwable error = catchThrowable(() -> list(ListCasesRequest.newBuilder().setOrderBy("y".repeat(10_000)).build()));
        assertThat(QueryFixture.violatedFields(error)).containsExactly("order_by");
        assertThat(((io.grpc.StatusRuntimeException) error).getStatus().getDescription()).hasSizeLessThan(200);
        error = catchThrowable(() -> list(ListCasesRequest.newBuilder().setOrderBy("report_time " + "z".repeat(40)).build()));
        assertThat(QueryFixture.violatedFields(error)).containsExactly("order_by");
        assertThat(((io.grpc.StatusRuntimeException) error).getStatus().getDescription()).hasSizeLessThan(300)
                .doesNotContain("z".repeat(FieldViolations.MAX_ECHO + 1));
    }

    @Test
    void aTokenWithAnInstantOutOfRangeIsMalformed() {
        ListCasesRequest request = ListCasesRequest.newBuilder().setCategory("water").build();
        String fingerprint = PageTokens.fingerprint(request);
        for (Instant forged : List.of(Instant.MAX, Instant.MIN, Instant.parse("+10000-01-01T00:00:00Z"))) {
            assertThat(violations(request.toBuilder().setPageToken(
                    PageTokens.encode(fingerprint, List.of(forged.toString(), "case-01"))))).containsExactly("page_token");
        }
        assertThat(violations(request.toBuilder().setPageToken("A".repeat(100_000)))).containsExactly("page_token");
    }

    private List<String> expected(String field, boolean descending, Function<Published, Instant> key) {
        return expected(field, descending, key, i -> true);
    }

    /** @param which the cases (by number) that the list's filter keeps */
    private List<String> expected(String field, boolean descending, Function<Published, Instant> key,
                                  java.util.function.IntPredicate which) {
        Comparator<Published> byValue = Comparator.comparing(key, descending
                ? Comparator.nullsLast(Comparator.<Instant>reverseOrder())
                : Comparator.nullsLast(Comparator.<Instant>naturalOrder()));
        Comparator<Published> byId = descending ? Comparator.comparing(Published::id).reversed()
                : Comparator.comparing(Published::id);
        return published.stream().filter(p -> which.test(Integer.parseInt(p.id().substring("case-".length()))))
                .sorted(byValue.thenComparing(byId)).map(p -> "cases/" + p.id()).toList();
    }

    private List<String> ids(java.util.function.IntPredicate which) {
        return java.util.stream.IntStream.range(0, CASES).filter(which)
                .mapToObj(i -> String.format("cases/case-%02d", i)).toList();
    }

    private List<String> names(ListCasesRequest.Builder request) {
        return list(request.build()).getCasesList().stream().map(Case::getName).toList();
    }

    private List<String> listAll(ListCasesRequest.Builder request, int pageSize) {
        List<String> names = new ArrayList<>();
        var tokens = new HashSet<String>();
        String token = "";
        do {
            ListCasesResponse page = list(request.setPageSize(pageSize).setPageToken(token).build());
            assertThat(page.getCasesCount()).isLessThanOrEqualTo(pageSize);
            page.getCasesList().forEach(c -> names.add(c.getName()));
            token = page.getNextPageToken();
            assertThat(tokens.add(token)).as("tokens move on").isTrue();
        } while (!token.isEmpty());
        return names;
    }

    private ListCasesResponse list(ListCasesRequest request) {
        return fixture.call(SUPERVISOR, fixture.service::listCases, request);
    }

    private List<String> violations(ListCasesRequest.Builder request) {
        return QueryFixture.violatedFields(catchThrowable(() -> list(request.build())));
    }
}
