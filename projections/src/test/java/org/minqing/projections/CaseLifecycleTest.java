package org.minqing.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.projections.SampleEvents.deadlines;
import static org.minqing.projections.SampleEvents.dispatched;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.projections.SampleEvents.ts;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.minqing.api.v1.AssistanceRequested;
import org.minqing.api.v1.Attachment;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseAcknowledged;
import org.minqing.api.v1.CaseClosed;
import org.minqing.api.v1.CaseReopened;
import org.minqing.api.v1.CaseResolved;
import org.minqing.api.v1.CaseReturned;
import org.minqing.api.v1.CaseTransferred;
import org.minqing.api.v1.CitizenContacted;
import org.minqing.api.v1.ContactMethod;
import org.minqing.api.v1.FeedbackRecorded;
import org.minqing.api.v1.GeoPoint;
import org.minqing.api.v1.ProgressNoteAdded;
import org.minqing.api.v1.Satisfaction;
import org.minqing.api.v1.VisitCancelled;
import org.minqing.api.v1.VisitCheckedIn;
import org.minqing.api.v1.VisitCompleted;
import org.minqing.api.v1.VisitRescheduled;
import org.minqing.api.v1.VisitScheduled;
import org.springframework.jdbc.core.JdbcTemplate;

/** A case from report to close, with a return, a transfer, visits and a reopen, through all projections. */
class CaseLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z");

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final EventFeed feed = EventFeed.allProjections(jdbc, T0);

    @Test
    void theReadModelsFollowTheWholeLife() {
        Instant day = T0.plus(Duration.ofDays(1));
        feed.as("operator-7", "dispatcher", "12345-center").publish(reported("c1", T0).build());
        feed.publish(CaseAccepted.newBuilder().setCaseId("c1").setNote("valid").build());
        feed.publish(dispatched("c1", "water-bureau", day, T0.plus(Duration.ofDays(7))).build());
        feed.as("wb-1", "department", "water-bureau")
                .publish(CaseReturned.newBuilder().setCaseId("c1").setDepartment("water-bureau").setReason("private pipe").build());
        feed.as("operator-7", "dispatcher", "12345-center")
                .publish(dispatched("c1", "housing-bureau", day, T0.plus(Duration.ofDays(7))).setHandler("张三").build());
        feed.publish(CaseTransferred.newBuilder().setCaseId("c1").setFromDepartment("housing-bureau")
                .setDepartment("water-bureau").setHandler("李四").setReason("main pipe after all")
                .setDeadlines(deadlines(day.plus(Duration.ofHours(2)), T0.plus(Duration.ofDays(8)))).build());
        feed.as("wb-1", "department", "water-bureau");
        feed.publish(AssistanceRequested.newBuilder().setCaseId("c1").addDepartments("police").setReason("traffic").build());
        feed.publish(CaseAcknowledged.newBuilder().setCaseId("c1").setDepartment("water-bureau").build());
        feed.publish(CitizenContacted.newBuilder().setCaseId("c1").setMethod(ContactMethod.CONTACT_METHOD_PHONE)
                .setSummary("told " + SampleEvents.CITIZEN_NAME + " we come tomorrow").setResponseTime(ts(feed.now())).build());
        Instant visitTime = T0.plus(Duration.ofDays(2));
        feed.publish(VisitScheduled.newBuilder().setCaseId("c1").setVisitId("v1").setScheduledTime(ts(visitTime))
                .setPlace(SampleEvents.ADDRESS).addVisitors("李四").addVisitors("王五").setPurpose("inspect the main").build());
        feed.publish(VisitScheduled.newBuilder().setCaseId("c1").setVisitId("v2").setScheduledTime(ts(visitTime))
                .setPlace("pump station").addVisitors("赵六").build());
        feed.publish(VisitRescheduled.newBuilder().setCaseId("c1").setVisitId("v1")
                .setScheduledTime(ts(visitTime.plus(Duration.ofHours(3)))).setReason("rain").build());
        feed.publish(VisitCancelled.newBuilder().setCaseId("c1").setVisitId("v2").setReason("not needed").build());
        Instant checkIn = visitTime.plus(Duration.ofHours(3));
        feed.publish(VisitCheckedIn.newBuilder().setCaseId("c1").setVisitId("v1").setVisitor("李四")
                .setCheckInTime(ts(checkIn)).setPosition(GeoPoint.newBuilder().setLatitude(39.96).setLongitude(116.41))
                .build());
        feed.publish(VisitCompleted.newBuilder().setCaseId("c1").setVisitId("v1").setFindings("valve broken")
                .addEvidence(Attachment.newBuilder().setUri("https://files.example/valve.jpg").setSha256("b".repeat(64))
                        .setMediaType("image/jpeg")).build());
        feed.publish(ProgressNoteAdded.newBuilder().setCaseId("c1").setNote("valve ordered").build());
        feed.publish(CaseResolved.newBuilder().setCaseId("c1").setSummary("valve replaced").build());
        feed.as("operator-9", "dispatcher", "12345-center");
        feed.publish(FeedbackRecorded.newBuilder().setCaseId("c1").setSolved(false)
                .setSatisfaction(Satisfaction.SATISFACTION_UNSATISFIED).setComment("call me at " + SampleEvents.CITIZEN_PHONE).build());
        feed.publish(CaseReopened.newBuilder().setCaseId("c1").setReason("still no water").setDepartment("water-bureau")
                .setDeadlines(deadlines(null, T0.plus(Duration.ofDays(10)))).build());
        Instant resolved = feed.as("wb-1", "department", "water-bureau").now();
        feed.publish(CaseResolved.newBuilder().setCaseId("c1").setSummary("pressure restored").build());
        feed.as("operator-9", "dispatcher", "12345-center");
        feed.publish(FeedbackRecorded.newBuilder().setCaseId("c1").setSolved(true)
                .setSatisfaction(Satisfaction.SATISFACTION_SATISFIED).build());
        Instant closed = feed.now();
        feed.publish(CaseClosed.newBuilder().setCaseId("c1").build());

        Map<String, Object> summary = jdbc.queryForMap("SELECT * FROM case_summary WHERE case_id = 'c1'");
        assertThat(summary).containsEntry("STATE", "CASE_STATE_CLOSED")
                .containsEntry("DEPARTMENT", "water-bureau")
                .containsEntry("HANDLER", "李四")
                .containsEntry("RETURN_COUNT", 1)
                .containsEntry("REOPEN_COUNT", 1)
                .containsEntry("SOLVED", true)
                .containsEntry("SATISFACTION", "SATISFACTION_SATISFIED")
                .containsEntry("REVISION", 22L);
        assertThat(time("resolve_time")).isEqualTo(resolved);
        assertThat(time("close_time")).isEqualTo(closed);
        assertThat(time("response_deadline")).as("the reopen kept the transfer's response deadline")
                .isEqualTo(day.plus(Duration.ofHours(2)));
        assertThat(time("resolution_deadline")).isEqualTo(T0.plus(Duration.ofDays(10)));
        assertThat(time("response_time")).isNotNull().isBefore(day.plus(Duration.ofHours(2)));

        assertThat(jdbc.queryForList("SELECT visit_id, state FROM case_visit WHERE case_id = 'c1' ORDER BY schedule_sequence"))
                .extracting(row -> row.get("visit_id") + " " + row.get("state"))
                .containsExactly("v1 VISIT_STATE_COMPLETED", "v2 VISIT_STATE_CANCELLED");
        assertThat(jdbc.queryForList("SELECT visitor FROM case_visit_visitor WHERE visit_id = 'v1' ORDER BY ordinal",
                String.class)).containsExactly("李四", "王五");
        assertThat(jdbc.queryForObject("SELECT check_in_time FROM case_visit WHERE visit_id = 'v1'",
                OffsetDateTime.class).toInstant()).isEqualTo(checkIn);
        assertThat(jdbc.queryForList("SELECT uri FROM case_attachment WHERE visit_id = 'v1'", String.class))
                .containsExactly("https://files.example/valve.jpg");

        List<Map<String, Object>> timeline = jdbc.queryForList(
                "SELECT sequence, event_type, actor_id, summary FROM case_timeline WHERE case_id = 'c1' ORDER BY sequence");
        assertThat(timeline).extracting(row -> ((String) row.get("EVENT_TYPE")).substring("minqing.v1.".length()))
                .containsExactly("CaseReported", "CaseAccepted", "CaseDispatched", "CaseReturned", "CaseDispatched",
                        "CaseTransferred", "AssistanceRequested", "CaseAcknowledged", "CitizenContacted",
                        "VisitScheduled", "VisitScheduled", "VisitRescheduled", "VisitCancelled", "VisitCheckedIn",
                        "VisitCompleted", "ProgressNoteAdded", "CaseResolved", "FeedbackRecorded", "CaseReopened",
                        "CaseResolved", "FeedbackRecorded", "CaseClosed");
        assertThat(timeline).extracting(row -> ((Number) row.get("SEQUENCE")).intValue())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 22).boxed().toList());
        assertThat(timeline.get(3)).containsEntry("ACTOR_ID", "wb-1")
                .containsEntry("SUMMARY", "Returned (退单) by water-bureau: private pipe");
        assertThat(timeline.get(5).get("SUMMARY")).isEqualTo("Transferred (改派/转办) from housing-bureau to "
                + "water-bureau, handler 李四: main pipe after all; respond by 2026-11-21 11:00, "
                + "resolve by 2026-11-28 09:00 (Asia/Shanghai)");
        assertThat(timeline.get(17).get("SUMMARY")).isEqualTo("Follow-up (回访): not solved, 不满意 (unsatisfied)");
        assertThat(timeline.get(18).get("SUMMARY")).isEqualTo("Reopened (重办) to water-bureau: still no water; "
                + "resolve by 2026-11-30 09:00 (Asia/Shanghai)");
        assertThat(timeline).extracting(row -> (String) row.get("SUMMARY"))
                .allSatisfy(s -> assertThat(s).doesNotContain(SampleEvents.CITIZEN_NAME, SampleEvents.CITIZEN_PHONE,
                        SampleEvents.CITIZEN_ID_NUMBER, SampleEvents.ADDRESS));
    }

    private Instant time(String column) {
        OffsetDateTime t = jdbc.queryForObject("SELECT " + column + " FROM case_summary WHERE case_id = 'c1'",
                OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
