package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.*;

/** The worklist at a fixed "now": what is overdue or at risk (80 % of the limit used), in order. */
class WorklistTest {

    static final Instant NOW = Instant.parse("2026-11-20T02:00:00Z");
    static final Duration H = Duration.ofHours(1);

    private final SupervisionScenario s = new SupervisionScenario(NOW);

    @BeforeEach
    void story() {
        // at risk: 23 of 24 hours used to respond
        s.newCase("w1", NOW.minus(H.multipliedBy(23)));
        s.dispatch("w1", "roads", NOW.minus(H.multipliedBy(23)), H.multipliedBy(24), Duration.ofDays(7));
        // overdue by 6 hours, urged and put under supervision
        s.newCase("w2", NOW.minus(H.multipliedBy(30)));
        s.dispatch("w2", "water", NOW.minus(H.multipliedBy(30)), H.multipliedBy(24), Duration.ofDays(7));
        s.at(NOW.minus(H.multipliedBy(5)), CaseUrged.newBuilder().setCaseId("w2").setMessage("hurry").build());
        s.at(NOW.minus(H.multipliedBy(4)), CaseSupervised.newBuilder().setCaseId("w2").setInstructions("report daily").build());
        // fresh: nothing urgent
        s.newCase("w3", NOW.minus(H));
        s.dispatch("w3", "roads", NOW.minus(H), H.multipliedBy(24), Duration.ofDays(7));
        // answered; 6 of 7 days used to resolve: at risk on its resolution
        s.newCase("w4", NOW.minus(Duration.ofDays(6)));
        s.dispatch("w4", "roads", NOW.minus(Duration.ofDays(6)), H.multipliedBy(24), Duration.ofDays(7));
        s.respond("w4", NOW.minus(Duration.ofDays(6)).plus(H), NOW.minus(Duration.ofDays(6)).plus(H));
        // was overdue, then resolved: off the list
        s.newCase("w5", NOW.minus(Duration.ofDays(9)));
        s.dispatch("w5", "roads", NOW.minus(Duration.ofDays(9)), H.multipliedBy(24), Duration.ofDays(7));
        s.resolve("w5", NOW.minus(H));
    }

    @AfterEach
    void tearDown() {
        s.close();
    }

    private List<WorklistItem> list(WorklistFilter filter) {
        return s.call(s.service::listWorklistItems, ListWorklistItemsRequest.newBuilder().setFilter(filter).build())
                .getWorklistItemsList();
    }

    @Test
    void overdueFirstThenAtRiskByTheEarliestPendingDeadline() {
        List<WorklistItem> items = list(WorklistFilter.getDefaultInstance());
        assertThat(items).extracting(WorklistItem::getCase).containsExactly("cases/w2", "cases/w1", "cases/w4");
        assertThat(items).extracting(WorklistItem::getStatus).containsExactly(WorklistStatus.WORKLIST_STATUS_OVERDUE,
                WorklistStatus.WORKLIST_STATUS_AT_RISK, WorklistStatus.WORKLIST_STATUS_AT_RISK);
        assertThat(items).extracting(WorklistItem::getDeadlineKind).containsExactly(DeadlineKind.DEADLINE_KIND_RESPONSE,
                DeadlineKind.DEADLINE_KIND_RESPONSE, DeadlineKind.DEADLINE_KIND_RESOLUTION);
        assertThat(items.get(2).hasResponseDeadline()).as("w4 has responded").isFalse();
        WorklistItem w2 = items.get(0);
        assertThat(w2.getUrgeCount()).isEqualTo(1);
        assertThat(w2.getSupervised()).isTrue();
        assertThat(w2.getSupervisionHistoryList()).extracting(SupervisionRecord::getAction, SupervisionRecord::getText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SupervisionAction.SUPERVISION_ACTION_URGED, "hurry"),
                        org.assertj.core.groups.Tuple.tuple(SupervisionAction.SUPERVISION_ACTION_SUPERVISED, "report daily"));
    }

    @Test
    void filtersByStatusAndLikeTheCaseListAndUnknownValuesGiveNothing() {
        assertThat(list(WorklistFilter.newBuilder().addStatuses(WorklistStatus.WORKLIST_STATUS_OVERDUE).build()))
                .extracting(WorklistItem::getCase).containsExactly("cases/w2");
        assertThat(list(WorklistFilter.newBuilder().addStatuses(WorklistStatus.WORKLIST_STATUS_AT_RISK)
                .setDepartment("roads").build())).extracting(WorklistItem::getCase).containsExactly("cases/w1", "cases/w4");
        assertThat(list(WorklistFilter.newBuilder().setDistrict("nowhere").build())).isEmpty();
    }

    @Test
    void pagesFollowOnWithAToken() {
        ListWorklistItemsResponse first = s.call(s.service::listWorklistItems,
                ListWorklistItemsRequest.newBuilder().setPageSize(2).build());
        assertThat(first.getWorklistItemsList()).extracting(WorklistItem::getCase).containsExactly("cases/w2", "cases/w1");
        ListWorklistItemsResponse second = s.call(s.service::listWorklistItems,
                ListWorklistItemsRequest.newBuilder().setPageSize(2).setPageToken(first.getNextPageToken()).build());
        assertThat(second.getWorklistItemsList()).extracting(WorklistItem::getCase).containsExactly("cases/w4");
        assertThat(second.getNextPageToken()).isEmpty();
    }

    @Test
    void theWatchSendsTheListThenChanges() {
        RecordingObserver<WorklistChange> stream = new RecordingObserver<>();
        org.minqing.edge.Caller.runAs(QueryFixture.SUPERVISOR, () -> s.service.watchWorklist(
                WatchWorklistRequest.getDefaultInstance(), stream));
        stream.awaitValues(3);
        assertThat(stream.values).extracting(WorklistChange::getType).containsOnly(WorklistChange.Type.TYPE_ENTERED);

        s.at(NOW.minus(H.multipliedBy(3)), CaseUrged.newBuilder().setCaseId("w1").setMessage("soon due").build());
        s.resolve("w2", NOW.minusSeconds(60));
        // The watch may poll between the two writes (and between the resolution's rows), so w1's
        // change can come more than once; both changes must come, and nothing else.
        org.assertj.core.groups.Tuple changed = org.assertj.core.groups.Tuple.tuple(WorklistChange.Type.TYPE_CHANGED, "cases/w1");
        org.assertj.core.groups.Tuple left = org.assertj.core.groups.Tuple.tuple(WorklistChange.Type.TYPE_LEFT, "cases/w2");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            List<WorklistChange> seen = List.copyOf(stream.values);
            return seen.stream().anyMatch(c -> c.getType() == WorklistChange.Type.TYPE_LEFT)
                    && seen.subList(3, seen.size()).stream().anyMatch(c -> c.getType() == WorklistChange.Type.TYPE_CHANGED);
        });
        List<WorklistChange> seen = List.copyOf(stream.values);
        assertThat(seen.subList(3, seen.size())).extracting(c -> c.getType(), c -> c.getItem().getCase())
                .contains(changed, left)
                .containsOnly(changed, left);
        stream.cancel();
    }

    @Test
    void anUnknownStatusIsRefused() {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> s.call(s.service::listWorklistItems,
                ListWorklistItemsRequest.newBuilder().setFilter(WorklistFilter.newBuilder()
                        .addStatuses(WorklistStatus.WORKLIST_STATUS_UNSPECIFIED)).build()));
        assertThat(QueryFixture.violatedFields(error)).containsExactly("filter.statuses");
    }

    @Test
    void statusesAreBoundedBeforeTheyAreReadAndReportedOnce() {
        WorklistFilter.Builder packed = WorklistFilter.newBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            packed.addStatusesValue(WorklistStatus.WORKLIST_STATUS_UNSPECIFIED_VALUE);
        }
        Throwable error = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> org.assertj.core.api.Assertions.catchThrowable(() -> s.call(s.service::listWorklistItems,
                        ListWorklistItemsRequest.newBuilder().setFilter(packed).build())));
        assertThat(QueryFixture.violatedFields(error)).containsExactly("filter.statuses");
        assertThat(((io.grpc.StatusRuntimeException) error).getStatus().getDescription()).hasSizeLessThan(300);

        error = org.assertj.core.api.Assertions.catchThrowable(() -> s.call(s.service::listWorklistItems,
                ListWorklistItemsRequest.newBuilder().setFilter(WorklistFilter.newBuilder()
                        .addStatuses(WorklistStatus.WORKLIST_STATUS_OVERDUE)
                        .addStatuses(WorklistStatus.WORKLIST_STATUS_OVERDUE)).build()));
        assertThat(QueryFixture.violatedFields(error)).containsExactly("filter.statuses");
        assertThat(list(WorklistFilter.newBuilder().addStatuses(WorklistStatus.WORKLIST_STATUS_OVERDUE)
                .addStatuses(WorklistStatus.WORKLIST_STATUS_AT_RISK).build())).hasSize(3);
    }
}
