package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.edge.queries.QueryFixture.SUPERVISOR;
import static org.minqing.edge.queries.QueryFixture.T0;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseFeedEntry;
import org.minqing.api.v1.CaseUrged;
import org.minqing.api.v1.WatchCaseFeedRequest;
import org.minqing.edge.Caller;

class WatchCaseFeedTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    private final QueryFixture fixture = new QueryFixture(T0);

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void withoutATokenTheFeedFollowsEveryCaseFromNowOnInTheOrderRecorded() throws InterruptedException {
        fixture.feed.publish(reported("c1", T0).build());
        RecordingObserver<CaseFeedEntry> feed = watch(SUPERVISOR, "");
        fixture.feed.publish(reported("c2", T0).build());
        fixture.feed.publish(CaseAccepted.newBuilder().setCaseId("c1").build());
        fixture.feed.publish(CaseUrged.newBuilder().setCaseId("c2").setMessage("hurry").build());

        feed.awaitValues(3);
        assertThat(feed.values).extracting(e -> e.getTimelineEntry().getName())
                .containsExactly("cases/c2/timelineEntries/0", "cases/c1/timelineEntries/1", "cases/c2/timelineEntries/1");
        assertThat(feed.values).extracting(CaseFeedEntry::getResumeToken).doesNotHaveDuplicates().doesNotContain("");
        assertThat(feed.isCompleted()).isFalse();
        feed.cancel();
    }

    @Test
    void aTokenResumesRightAfterItsEntry() throws InterruptedException {
        RecordingObserver<CaseFeedEntry> first = watch(SUPERVISOR, "");
        fixture.feed.publish(reported("c1", T0).build());
        fixture.feed.publish(reported("c2", T0).build());
        fixture.feed.publish(CaseAccepted.newBuilder().setCaseId("c1").build());
        first.awaitValues(3);
        first.cancel();

        RecordingObserver<CaseFeedEntry> resumed = watch(SUPERVISOR, first.values.get(0).getResumeToken());
        resumed.awaitValues(2);
        fixture.feed.publish(CaseAccepted.newBuilder().setCaseId("c2").build());
        resumed.awaitValues(3);
        assertThat(resumed.values).extracting(e -> e.getTimelineEntry().getName())
                .containsExactly("cases/c2/timelineEntries/0", "cases/c1/timelineEntries/1", "cases/c2/timelineEntries/1");
        assertThat(resumed.values.subList(0, 2)).isEqualTo(first.values.subList(1, 3));
        resumed.cancel();
    }

    @Test
    void aPartnersFeedHoldsOnlyTheCasesItReported() throws InterruptedException {
        fixture.feed.via("dev-wechat").publish(reported("mine", T0).build());
        fixture.feed.via("hotline-12345").publish(reported("theirs", T0).build());
        fixture.feed.via("hotline-12345").publish(CaseAccepted.newBuilder().setCaseId("mine").build());
        fixture.feed.via("hotline-12345").publish(CaseAccepted.newBuilder().setCaseId("theirs").build());

        RecordingObserver<CaseFeedEntry> feed = watch(new Caller("wx", "partner", "dev-wechat"), FeedWatch.token(0));
        feed.awaitValues(2);
        fixture.feed.via("hotline-12345").publish(CaseUrged.newBuilder().setCaseId("theirs").setMessage("m").build());
        fixture.feed.via("hotline-12345").publish(CaseUrged.newBuilder().setCaseId("mine").setMessage("m").build());
        feed.awaitValues(3);
        assertThat(feed.values).extracting(e -> e.getTimelineEntry().getName())
                .containsExactly("cases/mine/timelineEntries/0", "cases/mine/timelineEntries/1", "cases/mine/timelineEntries/2");
        feed.cancel();
    }

    @Test
    void aTokenTheFeedDidNotGiveIsRefusedNamingTheField() throws InterruptedException {
        for (String forged : new String[] {"not-base64!", FeedWatch.token(0).substring(1), "ZmVlZDotMQ"}) {
            RecordingObserver<CaseFeedEntry> feed = watch(SUPERVISOR, forged);
            assertThat(feed.awaitClose(SOON)).isTrue();
            assertThat(QueryFixture.violatedFields(feed.error())).as(forged).containsExactly("resume_token");
        }
    }

    private RecordingObserver<CaseFeedEntry> watch(Caller caller, String resumeToken) {
        RecordingObserver<CaseFeedEntry> stream = new RecordingObserver<>();
        Caller.runAs(caller, () -> fixture.service.watchCaseFeed(
                WatchCaseFeedRequest.newBuilder().setResumeToken(resumeToken).build(), stream));
        return stream;
    }
}
