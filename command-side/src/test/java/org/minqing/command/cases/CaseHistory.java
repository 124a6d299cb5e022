package org.minqing.command.cases;

import static org.minqing.api.v1.ProtoTime.timestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Message;
import org.minqing.api.v1.*;
import org.minqing.command.cases.CaseCommands.ReportCase;

/** One case's story in events, to put a case into any status for a test. */
final class CaseHistory {

    static final String CASE_ID = "case-1";
    static final String CATEGORY = "roads";
    static final String DEPARTMENT = "dept-roads";
    static final String HANDLER = "handler-li";
    static final Instant REPORT_TIME = Instant.parse("2026-03-09T01:30:00Z");
    /** When the dispatch in {@link #dispatched()} gave its resolution deadline. */
    static final Instant RESOLUTION_DEADLINE = Instant.parse("2026-03-18T16:00:00Z");

    private CaseHistory() {
    }

    static ReportCase report(String caseId) {
        return new ReportCase(caseId, Channel.CHANNEL_HOTLINE_12345, "hl-0001",
                Citizen.newBuilder().setName("张三").setPhone("13800000000").build(), CATEGORY,
                Urgency.URGENCY_NORMAL, "Pothole", "A deep pothole on Xinhua Road",
                Location.newBuilder().setAddress("Xinhua Road 1").setDistrict("110105").setGrid("g-7").build(),
                List.of(Attachment.newBuilder().setUri("s3://photos/1.jpg").setSha256("ab".repeat(32)).build()),
                REPORT_TIME);
    }

    static CaseReported reported() {
        return reported(CASE_ID);
    }

    static CaseReported reported(String caseId) {
        ReportCase r = report(caseId);
        return CaseReported.newBuilder()
                .setCaseId(caseId).setChannel(r.channel()).setPartnerReference(r.partnerReference())
                .setCitizen(r.citizen()).setCategory(r.category()).setUrgency(r.urgency()).setTitle(r.title())
                .setDescription(r.description()).setLocation(r.location()).addAllAttachments(r.attachments())
                .setReportTime(timestamp(r.reportTime()))
                .build();
    }

    static CaseAccepted accepted() {
        return CaseAccepted.newBuilder().setCaseId(CASE_ID).setNote("ok").build();
    }

    static CaseDispatched dispatched() {
        return CaseDispatched.newBuilder().setCaseId(CASE_ID).setDepartment(DEPARTMENT).setHandler(HANDLER)
                .setDeadlines(Deadlines.newBuilder()
                        .setResponseLimit("24h").setResolutionLimit("7 working days")
                        .setResponseDeadline(timestamp(Instant.parse("2026-03-10T02:00:00Z")))
                        .setResolutionDeadline(timestamp(RESOLUTION_DEADLINE)))
                .build();
    }

    static CaseReturned returned() {
        return CaseReturned.newBuilder().setCaseId(CASE_ID).setDepartment(DEPARTMENT).setReason("not ours").build();
    }

    static CaseAcknowledged acknowledged() {
        return CaseAcknowledged.newBuilder().setCaseId(CASE_ID).setDepartment(DEPARTMENT).setHandler(HANDLER).build();
    }

    static CitizenContacted contacted() {
        return CitizenContacted.newBuilder().setCaseId(CASE_ID).setMethod(ContactMethod.CONTACT_METHOD_PHONE)
                .setContactTime(timestamp(Instant.parse("2026-03-09T06:00:00Z"))).setSummary("called").build();
    }

    static VisitScheduled visitScheduled(String visitId) {
        return VisitScheduled.newBuilder().setCaseId(CASE_ID).setVisitId(visitId)
                .setScheduledTime(timestamp(Instant.parse("2026-03-11T01:00:00Z"))).setPlace("Xinhua Road 1")
                .addVisitors("grid-worker-wang").setPurpose("measure the pothole").build();
    }

    static VisitCheckedIn visitCheckedIn(String visitId) {
        return VisitCheckedIn.newBuilder().setCaseId(CASE_ID).setVisitId(visitId)
                .setCheckInTime(timestamp(Instant.parse("2026-03-11T01:05:00Z")))
                .setPosition(GeoPoint.newBuilder().setLatitude(39.9).setLongitude(116.4))
                .setVisitor("grid-worker-wang").build();
    }

    static VisitCompleted visitCompleted(String visitId) {
        return VisitCompleted.newBuilder().setCaseId(CASE_ID).setVisitId(visitId)
                .setCompleteTime(timestamp(Instant.parse("2026-03-11T02:00:00Z"))).setFindings("filled").build();
    }

    static VisitCancelled visitCancelled(String visitId) {
        return VisitCancelled.newBuilder().setCaseId(CASE_ID).setVisitId(visitId).setReason("rain").build();
    }

    static CaseResolved resolved() {
        return CaseResolved.newBuilder().setCaseId(CASE_ID).setSummary("pothole filled").build();
    }

    static FeedbackRecorded feedback(Satisfaction satisfaction) {
        return FeedbackRecorded.newBuilder().setCaseId(CASE_ID)
                .setSolved(satisfaction != Satisfaction.SATISFACTION_UNSATISFIED)
                .setSatisfaction(satisfaction).build();
    }

    static ExtensionRequested extensionRequested(Instant deadline) {
        return ExtensionRequested.newBuilder().setCaseId(CASE_ID).setRequestedDeadline(timestamp(deadline))
                .setReason("waiting for asphalt").build();
    }

    /** The events that bring a case into {@code status} along the usual path. */
    static List<Object> to(CaseStatus status) {
        List<Object> events = new ArrayList<>(List.of(reported()));
        switch (status) {
            case REPORTED -> { }
            case ACCEPTED -> events.add(accepted());
            case REJECTED -> events.add(CaseRejected.newBuilder().setCaseId(CASE_ID).setReason("not a case").build());
            case MERGED -> events.add(CaseMerged.newBuilder().setCaseId(CASE_ID).setTargetCaseId("case-0").build());
            case DISPATCHED -> events.addAll(List.of(accepted(), dispatched()));
            case RETURNED -> events.addAll(List.of(accepted(), dispatched(), returned()));
            case IN_PROGRESS -> events.addAll(List.of(accepted(), dispatched(), acknowledged()));
            case RESOLVED -> events.addAll(List.of(accepted(), dispatched(), acknowledged(), contacted(), resolved()));
            case FOLLOWED_UP -> events.addAll(List.of(accepted(), dispatched(), acknowledged(), contacted(), resolved(),
                    feedback(Satisfaction.SATISFACTION_SATISFIED)));
            case CLOSED -> events.addAll(List.of(accepted(), dispatched(), acknowledged(), contacted(), resolved(),
                    feedback(Satisfaction.SATISFACTION_SATISFIED),
                    CaseClosed.newBuilder().setCaseId(CASE_ID).build()));
        }
        return events;
    }

    /** The same events, told of the case {@code caseId}. */
    static List<Object> forCase(String caseId, List<Object> events) {
        return events.stream().<Object>map(e -> {
            Message event = (Message) e;
            return event.toBuilder().setField(event.getDescriptorForType().findFieldByName("case_id"), caseId).build();
        }).toList();
    }

    static List<Object> to(CaseStatus status, Object... more) {
        List<Object> events = new ArrayList<>(to(status));
        events.addAll(List.of(more));
        return events;
    }
}
