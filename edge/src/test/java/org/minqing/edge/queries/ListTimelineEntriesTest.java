package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.edge.queries.QueryFixture.SUPERVISOR;
import static org.minqing.edge.queries.QueryFixture.T0;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseUrged;
import org.minqing.api.v1.ListTimelineEntriesRequest;
import org.minqing.api.v1.ListTimelineEntriesResponse;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.projections.SampleEvents;

class ListTimelineEntriesTest {

    private final QueryFixture fixture = new QueryFixture(T0);

    @BeforeEach
    void aCaseWithEightEvents() {
        fixture.feed.as("operator-7", "dispatcher", "12345-center").via("hotline-12345")
                .publish(reported("c1", T0).build());
        fixture.feed.as("sup-1", "supervisor", "supervision-office");
        for (int i = 1; i < 8; i++) {
            fixture.feed.publish(CaseUrged.newBuilder().setCaseId("c1").setMessage("urge " + i).build());
        }
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void entriesComeInSequenceOrderWithWhoAndWhen() {
        List<TimelineEntry> entries = list(ListTimelineEntriesRequest.newBuilder().setParent("cases/c1")).getTimelineEntriesList();

        assertThat(entries).extracting(TimelineEntry::getSequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        TimelineEntry second = entries.get(1);
        assertThat(second.getName()).isEqualTo("cases/c1/timelineEntries/1");
        assertThat(second.getEventType()).isEqualTo("minqing.v1.CaseUrged");
        assertThat(second.getActor().getId()).isEqualTo("sup-1");
        assertThat(second.getActor().getRole()).isEqualTo("supervisor");
        assertThat(second.getActor().getOrganization()).isEqualTo("supervision-office");
        assertThat(second.getPartnerSystem()).isEqualTo("hotline-12345");
        assertThat(second.getSummary()).isEqualTo("Urged (催办): urge 1");
        assertThat(second.getCorrelationId()).isEqualTo("corr-c1");
        assertThat(second.getRequestId()).isEqualTo("req-c1-1");
        assertThat(second.getEventTime()).isEqualTo(SampleEvents.ts(T0.plusSeconds(1)));
        assertThat(entries.get(0).getSummary()).doesNotContain(SampleEvents.CITIZEN_NAME, SampleEvents.ADDRESS);
    }

    @Test
    void pagesFollowEachOtherToTheEnd() {
        List<Long> sequences = new ArrayList<>();
        String token = "";
        do {
            ListTimelineEntriesResponse page = list(ListTimelineEntriesRequest.newBuilder().setParent("cases/c1")
                    .setPageSize(3).setPageToken(token));
            page.getTimelineEntriesList().forEach(e -> sequences.add(e.getSequence()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());

        assertThat(sequences).containsExactlyElementsOf(LongStream.range(0, 8).boxed().toList());
    }

    @Test
    void unknownCasesBadNamesAndForeignTokensAreRefused() {
        fixture.feed.publish(reported("c2", T0).build());
        String tokenOfC1 = list(ListTimelineEntriesRequest.newBuilder().setParent("cases/c1").setPageSize(2))
                .getNextPageToken();

        assertThat(QueryFixture.code(catchThrowable(() -> list(ListTimelineEntriesRequest.newBuilder()
                .setParent("cases/nope"))))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(QueryFixture.violatedFields(catchThrowable(() -> list(ListTimelineEntriesRequest.newBuilder()
                .setParent("cases/c2").setPageToken(tokenOfC1))))).containsExactly("page_token");
        assertThat(QueryFixture.violatedFields(catchThrowable(() -> list(ListTimelineEntriesRequest.newBuilder()
                .setParent("c1").setPageSize(1001))))).containsExactly("parent", "page_size");
    }

    private ListTimelineEntriesResponse list(ListTimelineEntriesRequest.Builder request) {
        return fixture.call(SUPERVISOR, fixture.service::listTimelineEntries, request.build());
    }
}
