package org.minqing.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.util.Timestamps;
import org.minqing.api.v1.*;

/**
 * One case driven through its life by a partner system: report → accept → dispatch → acknowledge →
 * contact → visit scheduled / checked in / completed → resolve → feedback → close, and for a seeded
 * fifth of the cases an unsatisfied feedback, a reopen and a second resolution first. Every call has
 * a deterministic, unique request id.
 */
final class CaseRun {

    enum Step { REPORT, ACCEPT, DISPATCH, ACKNOWLEDGE, CONTACT, SCHEDULE, CHECK_IN, COMPLETE, RESOLVE,
        FEEDBACK_UNSATISFIED, REOPEN, FEEDBACK_SATISFIED, CLOSE;

        /** Whether the handling department takes this step (the 12345 centre takes the others). */
        boolean byDepartment() {
            return switch (this) {
                case ACKNOWLEDGE, CONTACT, SCHEDULE, CHECK_IN, COMPLETE, RESOLVE -> true;
                default -> false;
            };
        }
    }

    private static final List<Step> PLAIN = List.of(Step.REPORT, Step.ACCEPT, Step.DISPATCH, Step.ACKNOWLEDGE,
            Step.CONTACT, Step.SCHEDULE, Step.CHECK_IN, Step.COMPLETE, Step.RESOLVE, Step.FEEDBACK_SATISFIED,
            Step.CLOSE);
    private static final List<Step> REOPENED = List.of(Step.REPORT, Step.ACCEPT, Step.DISPATCH, Step.ACKNOWLEDGE,
            Step.CONTACT, Step.SCHEDULE, Step.CHECK_IN, Step.COMPLETE, Step.RESOLVE, Step.FEEDBACK_UNSATISFIED,
            Step.REOPEN, Step.RESOLVE, Step.FEEDBACK_SATISFIED, Step.CLOSE);
    static final String[] DISTRICTS = {"dongcheng", "xicheng", "chaoyang", "haidian", "fengtai", "shijingshan",
        "tongzhou", "shunyi", "changping", "daxing", "mentougou", "fangshan", "pinggu", "huairou", "miyun", "yanqing"};
    static final String[] CATEGORIES = {"water", "power", "gas", "heating", "noise", "sanitation", "roads", "housing"};

    private final String id;
    private final List<Step> steps;
    private final String district;
    private final String category;
    private int next;
    String name;
    private String visit;
    /** The case's revision after the latest acknowledged command. */
    long revision;

    /** @param id unique within the run; {@code random} is the run's seeded generator */
    CaseRun(String id, SplittableRandom random) {
        this.id = id;
        this.steps = random.nextInt(5) == 0 ? REOPENED : PLAIN;
        this.district = DISTRICTS[random.nextInt(DISTRICTS.length)];
        this.category = CATEGORIES[random.nextInt(CATEGORIES.length)];
    }

    boolean finished() {
        return next >= steps.size();
    }

    Step step() {
        return steps.get(next);
    }

    /** The department the case is dispatched to; the development profile has a key for each. */
    String department() {
        return category + "-bureau";
    }

    /** Sends the next command of this case, with the key of whoever takes the step; call {@link #completed} with its answer. */
    ListenableFuture<CaseChange> send(Rpc rpc) {
        var s = (step().byDepartment() ? rpc.asyncCommandsOf(department()) : rpc.asyncCommands)
                .withDeadlineAfter(120, TimeUnit.SECONDS);
        String rid = id + "-" + next;
        return switch (step()) {
            case REPORT -> s.reportCase(ReportCaseRequest.newBuilder().setRequestId(rid)
                    .setChannel(Channel.CHANNEL_HOTLINE_12345).setPartnerReference("BENCH-" + id)
                    .setCitizen(Citizen.newBuilder().setName("王芳").setPhone("13800000000"))
                    .setCategory(category).setUrgency(Urgency.URGENCY_NORMAL)
                    .setTitle("No water in building 3 since morning")
                    .setDescription("Residents of building 3 have had no running water since 7am.")
                    .setLocation(Location.newBuilder().setAddress("某街 3号楼").setDistrict(district).setGrid(district + "-017")
                            .setPosition(GeoPoint.newBuilder().setLatitude(39.92).setLongitude(116.44)))
                    .build());
            case ACCEPT -> s.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(rid).build());
            case DISPATCH -> s.dispatchCase(DispatchCaseRequest.newBuilder().setName(name).setRequestId(rid)
                    .setDepartment(department()).setHandler("zhang-san").build());
            case ACKNOWLEDGE -> s.acknowledgeCase(AcknowledgeCaseRequest.newBuilder().setName(name).setRequestId(rid).build());
            case CONTACT -> s.recordCitizenContact(RecordCitizenContactRequest.newBuilder().setName(name)
                    .setRequestId(rid).setMethod(ContactMethod.CONTACT_METHOD_PHONE).setSummary("Called the citizen").build());
            case SCHEDULE -> s.scheduleVisit(ScheduleVisitRequest.newBuilder().setName(name).setRequestId(rid)
                    .setScheduledTime(Timestamps.fromMillis(System.currentTimeMillis() + 3_600_000))
                    .setPlace("pump room").addVisitors("zhang-san").build());
            case CHECK_IN -> s.checkInVisit(CheckInVisitRequest.newBuilder().setName(visit).setRequestId(rid)
                    .setPosition(GeoPoint.newBuilder().setLatitude(39.92).setLongitude(116.44))
                    .setVisitor("zhang-san").build());
            case COMPLETE -> s.completeVisit(CompleteVisitRequest.newBuilder().setName(visit).setRequestId(rid)
                    .setFindings("Pump failure; replaced the pump").build());
            case RESOLVE -> s.resolveCase(ResolveCaseRequest.newBuilder().setName(name).setRequestId(rid)
                    .setSummary("Pump replaced, water restored").build());
            case FEEDBACK_UNSATISFIED -> s.recordFeedback(RecordFeedbackRequest.newBuilder().setName(name)
                    .setRequestId(rid).setSolved(false).setSatisfaction(Satisfaction.SATISFACTION_UNSATISFIED).build());
            case REOPEN -> s.reopenCase(ReopenCaseRequest.newBuilder().setName(name).setRequestId(rid)
                    .setReason("Pressure still low").build());
            case FEEDBACK_SATISFIED -> s.recordFeedback(RecordFeedbackRequest.newBuilder().setName(name)
                    .setRequestId(rid).setSolved(true).setSatisfaction(Satisfaction.SATISFACTION_SATISFIED).build());
            case CLOSE -> s.closeCase(CloseCaseRequest.newBuilder().setName(name).setRequestId(rid).build());
        };
    }

    void completed(CaseChange change) {
        if (step() == Step.REPORT) {
            name = change.getCase();
        } else if (step() == Step.SCHEDULE) {
            visit = change.getVisit();
        }
        revision = change.getRevision();
        next++;
    }
}
