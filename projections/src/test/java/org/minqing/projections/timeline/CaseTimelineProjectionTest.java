package org.minqing.projections.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minqing.projections.SampleEvents.dispatched;
import static org.minqing.projections.SampleEvents.reported;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseDispatched;
import org.minqing.api.v1.Channel;
import org.minqing.projections.EventFeed;
import org.minqing.projections.ProjectionProperties;
import org.minqing.projections.ReadModelDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

class CaseTimelineProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z");

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final EventFeed feed = new EventFeed(T0, new CaseTimelineProjection(jdbc, new ProjectionProperties(null)));

    @Test
    void eachEventBecomesOneEntryWithItsActorAndIds() {
        feed.as("operator-7", "dispatcher", "12345-center").via("hotline-12345")
                .publish(reported("c1", T0).build());
        feed.as("li.si", "dispatcher", "district-office").publish(dispatched("c1", "water-bureau",
                Instant.parse("2026-11-21T02:00:00Z"), Instant.parse("2026-11-30T16:00:00Z")).setHandler("张三").build());

        Map<String, Object> entry = jdbc.queryForMap("SELECT * FROM case_timeline WHERE case_id = 'c1' AND sequence = 1");
        assertThat(entry).containsEntry("EVENT_TYPE", CaseDispatched.getDescriptor().getFullName())
                .containsEntry("ACTOR_ID", "li.si")
                .containsEntry("ACTOR_ROLE", "dispatcher")
                .containsEntry("ACTOR_ORGANIZATION", "district-office")
                .containsEntry("PARTNER_SYSTEM", "hotline-12345")
                .containsEntry("CORRELATION_ID", "corr-c1")
                .containsEntry("REQUEST_ID", "req-c1-1")
                .containsEntry("SUMMARY", "Dispatched (派单) to water-bureau, handler 张三; respond by 2026-11-21 10:00, "
                        + "resolve by 2026-12-01 00:00 (Asia/Shanghai)");
        assertThat(jdbc.queryForObject("SELECT event_time FROM case_timeline WHERE case_id = 'c1' AND sequence = 1",
                OffsetDateTime.class).toInstant()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void aReportIsSummarizedWithoutThePersonalData() {
        feed.publish(reported("c1", T0).setChannel(Channel.CHANNEL_WECHAT).build());

        assertThat(jdbc.queryForObject("SELECT summary FROM case_timeline WHERE case_id = 'c1'", String.class))
                .isEqualTo("Reported (受理前) via wechat, partner reference ref-c1: water, urgent, "
                        + "\"No water since this morning\" in district dongcheng, grid hpl-07; 1 attachment; "
                        + "reported at 2026-11-20 09:00 (Asia/Shanghai)");
    }

    @Test
    void aRedeliveredEventIsWrittenOnce() {
        DomainEventMessage<?> reported = feed.publish(reported("c1", T0).build());
        feed.deliver(reported);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM case_timeline", Integer.class)).isOne();
    }

    @Test
    void aBatchOfEventsIsWrittenWhenItsUnitOfWorkCommits() {
        DomainEventMessage<?> first = feed.publish(reported("c1", T0).build());
        feed.deliverTogether(List.of(first, feed.next(accepted("c1")), feed.next(reported("c2", T0).build()),
                feed.next(accepted("c2"))));

        assertThat(jdbc.queryForList("SELECT case_id || '/' || sequence FROM case_timeline ORDER BY feed_position",
                String.class)).as("the redelivered report once, the rest in the order of the batch")
                .containsExactly("c1/0", "c1/1", "c2/0", "c2/1");
    }

    @Test
    void aBatchThatFailsWritesNothing() {
        EventFeed failing = new EventFeed(T0, new CaseTimelineProjection(jdbc, new ProjectionProperties(null)),
                new RefusesAcceptances());
        List<DomainEventMessage<?>> batch = List.of(failing.next(reported("c1", T0).build()), failing.next(accepted("c1")));

        assertThatThrownBy(() -> failing.deliverTogether(batch)).hasRootCauseMessage("refused");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM case_timeline", Integer.class)).isZero();
    }

    /** A handler of the batch that fails, as a broken projection in the same processing group would. */
    static final class RefusesAcceptances {
        @EventHandler
        void on(CaseAccepted e) {
            throw new IllegalStateException("refused");
        }
    }

    private static CaseAccepted accepted(String caseId) {
        return CaseAccepted.newBuilder().setCaseId(caseId).build();
    }

    @Test
    void aResetEmptiesTheTimeline() {
        feed.publish(reported("c1", T0).build());
        feed.reset();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM case_timeline", Integer.class)).isZero();
    }
}
