package org.minqing.projections.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minqing.projections.SampleEvents.dispatched;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.projections.SampleEvents.ts;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.AssistanceRequested;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseAcknowledged;
import org.minqing.api.v1.CaseResolved;
import org.minqing.api.v1.CaseMerged;
import org.minqing.api.v1.CaseReturned;
import org.minqing.api.v1.CaseSupervised;
import org.minqing.api.v1.CaseUrged;
import org.minqing.api.v1.CitizenContacted;
import org.minqing.api.v1.ContactMethod;
import org.minqing.api.v1.ExtensionApproved;
import org.minqing.api.v1.ExtensionRequested;
import org.minqing.api.v1.ProgressNoteAdded;
import org.minqing.api.v1.ReportLinked;
import org.minqing.api.v1.Channel;
import org.minqing.projections.EventFeed;
import org.minqing.projections.ReadModelDatabase;
import org.minqing.projections.SampleEvents;
import org.springframework.jdbc.core.JdbcTemplate;

class CaseSummaryProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z");

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final EventFeed feed = EventFeed.allProjections(jdbc, T0);

    @Test
    void aReportCreatesTheSummaryAndKeepsPersonalDataInItsOwnTable() {
        feed.via("wechat-mini").publish(reported("c1", T0.minusSeconds(600)).build());

        Map<String, Object> row = summary("c1");
        assertThat(row).containsEntry("STATE", "CASE_STATE_REPORTED")
                .containsEntry("CHANNEL", "CHANNEL_HOTLINE_12345")
                .containsEntry("PARTNER_SYSTEM", "wechat-mini")
                .containsEntry("PARTNER_REFERENCE", "ref-c1")
                .containsEntry("CATEGORY", "water")
                .containsEntry("URGENCY", "URGENCY_URGENT")
                .containsEntry("DISTRICT", "dongcheng")
                .containsEntry("GRID", "hpl-07")
                .containsEntry("REVISION", 1L);
        assertThat(time("report_time", "c1")).isEqualTo(T0.minusSeconds(600));
        assertThat(time("create_time", "c1")).isEqualTo(T0);
        assertThat(time("update_time", "c1")).isEqualTo(T0);
        assertThat(row.values()).map(String::valueOf).noneMatch(v -> v.contains(SampleEvents.CITIZEN_NAME)
                || v.contains(SampleEvents.CITIZEN_PHONE) || v.contains(SampleEvents.ADDRESS) || v.contains("39.96"));

        assertThat(jdbc.queryForMap("SELECT * FROM case_personal_data WHERE case_id = 'c1'"))
                .containsEntry("CITIZEN_NAME", SampleEvents.CITIZEN_NAME)
                .containsEntry("CITIZEN_PHONE", SampleEvents.CITIZEN_PHONE)
                .containsEntry("CITIZEN_ID_NUMBER", SampleEvents.CITIZEN_ID_NUMBER)
                .containsEntry("ADDRESS", SampleEvents.ADDRESS)
                .containsEntry("LATITUDE", 39.9612);
        assertThat(jdbc.queryForList("SELECT uri FROM case_attachment WHERE case_id = 'c1' AND visit_id = ''",
                String.class)).containsExactly("https://files.example/p1.jpg");
    }

    @Test
    void theResponseTimeIsTheOneTheCaseRecordedAndTheFirstContactCounts() {
        dispatchedCase("c1");
        Instant contact = feed.now().minusSeconds(30);
        feed.publish(CitizenContacted.newBuilder().setCaseId("c1").setMethod(ContactMethod.CONTACT_METHOD_PHONE)
                .setContactTime(ts(contact)).build());
        assertThat(time("response_time", "c1")).isNull();

        Instant acknowledged = feed.after(Duration.ofMinutes(5)).now();
        Instant responded = acknowledged.plusMillis(1); // the case's own time, not re-derived here
        feed.publish(CaseAcknowledged.newBuilder().setCaseId("c1").setDepartment("water-bureau").setHandler("张三")
                .setResponseTime(ts(responded)).build());
        feed.publish(CitizenContacted.newBuilder().setCaseId("c1").setMethod(ContactMethod.CONTACT_METHOD_SMS).build());

        assertThat(summary("c1")).containsEntry("STATE", "CASE_STATE_IN_PROGRESS").containsEntry("HANDLER", "张三");
        assertThat(time("contact_time", "c1")).isEqualTo(contact);
        assertThat(time("acknowledge_time", "c1")).isEqualTo(acknowledged);
        assertThat(time("response_time", "c1")).isEqualTo(responded);
    }

    /** Events recorded before the case recorded its response carry no response time: the summary shows none, and goes on. */
    @Test
    void aHistoryRecordedBeforeResponseTimesStillReplays() {
        dispatchedCase("c1");
        feed.publish(CaseAcknowledged.newBuilder().setCaseId("c1").setDepartment("water-bureau").build());
        feed.publish(CitizenContacted.newBuilder().setCaseId("c1").setMethod(ContactMethod.CONTACT_METHOD_PHONE).build());
        feed.publish(CaseResolved.newBuilder().setCaseId("c1").setSummary("fixed").build());

        assertThat(summary("c1")).containsEntry("STATE", "CASE_STATE_RESOLVED").containsEntry("REVISION", 6L);
        assertThat(time("acknowledge_time", "c1")).isNotNull();
        assertThat(time("response_time", "c1")).isNull();
    }

    @Test
    void aReturnLeavesNoHandlingDepartmentNorDeadlinesAndARedispatchStartsANewResponse() {
        dispatchedCase("c1");
        feed.publish(CaseAcknowledged.newBuilder().setCaseId("c1").setDepartment("water-bureau").build());
        feed.publish(CitizenContacted.newBuilder().setCaseId("c1").setMethod(ContactMethod.CONTACT_METHOD_PHONE)
                .setResponseTime(ts(feed.now())).build());
        assertThat(time("response_time", "c1")).isNotNull();

        feed.publish(CaseReturned.newBuilder().setCaseId("c1").setDepartment("water-bureau").setReason("not ours").build());
        assertThat(summary("c1")).containsEntry("STATE", "CASE_STATE_RETURNED").containsEntry("RETURN_COUNT", 1)
                .containsEntry("DEPARTMENT", null).containsEntry("RESPONSE_DEADLINE", null)
                .containsEntry("RESPONSE_TIME", null);

        Instant respondBy = feed.now().plus(Duration.ofHours(24));
        feed.publish(dispatched("c1", "housing-bureau", respondBy, null).build());
        assertThat(summary("c1")).containsEntry("STATE", "CASE_STATE_DISPATCHED")
                .containsEntry("DEPARTMENT", "housing-bureau").containsEntry("ACKNOWLEDGE_TIME", null)
                .containsEntry("RESOLUTION_DEADLINE", null);
        assertThat(time("response_deadline", "c1")).isEqualTo(respondBy);
    }

    @Test
    void supervisionMarksAndCountersAndTheExtensionMoveTheRow() {
        dispatchedCase("c1");
        Instant later = T0.plus(Duration.ofDays(30));
        feed.publish(ExtensionRequested.newBuilder().setCaseId("c1").setRequestedDeadline(ts(later)).build());
        assertThat(summary("c1")).containsEntry("EXTENSION_PENDING", true);
        feed.publish(ExtensionApproved.newBuilder().setCaseId("c1").setResolutionDeadline(ts(later)).build());
        feed.publish(CaseUrged.newBuilder().setCaseId("c1").setMessage("hurry").build());
        DomainEventMessage<?> urged = feed.publish(CaseUrged.newBuilder().setCaseId("c1").setMessage("again").build());
        feed.publish(CaseSupervised.newBuilder().setCaseId("c1").setInstructions("report daily").build());

        assertThat(summary("c1")).containsEntry("EXTENSION_PENDING", false).containsEntry("URGE_COUNT", 2)
                .containsEntry("SUPERVISED", true).containsEntry("REVISION", 8L);
        assertThat(time("resolution_deadline", "c1")).isEqualTo(later);

        feed.deliver(urged);
        assertThat(summary("c1")).as("a redelivered event changes nothing")
                .containsEntry("URGE_COUNT", 2).containsEntry("REVISION", 8L);
    }

    @Test
    void eventsWithoutOwnHandlerStillAdvanceRevisionAndUpdateTime() {
        feed.publish(reported("c1", T0).build());
        Instant noted = feed.after(Duration.ofHours(1)).now();
        feed.publish(ProgressNoteAdded.newBuilder().setCaseId("c1").setNote("called the property manager").build());

        assertThat(summary("c1")).containsEntry("REVISION", 2L);
        assertThat(time("update_time", "c1")).isEqualTo(noted);
    }

    @Test
    void aMergeLinksTheDuplicateToItsTarget() {
        feed.publish(reported("target", T0).build());
        feed.publish(reported("dup", T0).setChannel(Channel.CHANNEL_WEB).setPartnerReference("web-9").build());
        feed.publish(CaseMerged.newBuilder().setCaseId("dup").setTargetCaseId("target").build());
        feed.publish(ReportLinked.newBuilder().setCaseId("target").setSourceCaseId("dup")
                .setChannel(Channel.CHANNEL_WEB).setPartnerReference("web-9").build());

        assertThat(summary("dup")).containsEntry("STATE", "CASE_STATE_MERGED").containsEntry("MERGED_INTO", "target");
        assertThat(jdbc.queryForMap("SELECT * FROM case_linked_report WHERE case_id = 'target'"))
                .containsEntry("SOURCE_CASE_ID", "dup").containsEntry("CHANNEL", "CHANNEL_WEB")
                .containsEntry("PARTNER_REFERENCE", "web-9");
        assertThat(summary("target")).containsEntry("REVISION", 2L);
    }

    @Test
    void assistingDepartmentsAreListedOnceInTheOrderCalled() {
        dispatchedCase("c1");
        feed.publish(AssistanceRequested.newBuilder().setCaseId("c1").addDepartments("police").addDepartments("housing").build());
        feed.publish(AssistanceRequested.newBuilder().setCaseId("c1").addDepartments("housing").addDepartments("power").build());

        assertThat(jdbc.queryForList("SELECT department FROM case_assisting_department WHERE case_id = 'c1' "
                + "ORDER BY request_sequence, department", String.class)).containsExactly("housing", "police", "power");
    }

    @Test
    void aResetEmptiesTheCaseReadModel() {
        dispatchedCase("c1");
        feed.publish(AssistanceRequested.newBuilder().setCaseId("c1").addDepartments("police").build());

        feed.reset();

        for (String table : new String[] {"case_summary", "case_personal_data", "case_attachment",
                "case_assisting_department", "case_linked_report", "case_visit", "case_timeline"}) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class)).as(table).isZero();
        }
    }

    private void dispatchedCase(String caseId) {
        feed.publish(reported(caseId, T0).build());
        feed.publish(CaseAccepted.newBuilder().setCaseId(caseId).build());
        feed.publish(dispatched(caseId, "water-bureau", T0.plus(Duration.ofHours(24)), T0.plus(Duration.ofDays(7)))
                .build());
    }

    private Map<String, Object> summary(String caseId) {
        return jdbc.queryForMap("SELECT * FROM case_summary WHERE case_id = ?", caseId);
    }

    private Instant time(String column, String caseId) {
        OffsetDateTime t = jdbc.queryForObject("SELECT " + column + " FROM case_summary WHERE case_id = ?",
                OffsetDateTime.class, caseId);
        return t == null ? null : t.toInstant();
    }
}
