package org.minqing.projections.timeline;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.google.protobuf.Message;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.protobuf.Timestamp;
import org.minqing.api.v1.ProtoTime;
import org.minqing.api.v1.AssistanceRequested;
import org.minqing.api.v1.CaseAccepted;
import org.minqing.api.v1.CaseAcknowledged;
import org.minqing.api.v1.CaseClosed;
import org.minqing.api.v1.CaseDispatched;
import org.minqing.api.v1.CaseMerged;
import org.minqing.api.v1.CaseRejected;
import org.minqing.api.v1.CaseReopened;
import org.minqing.api.v1.CaseReported;
import org.minqing.api.v1.CaseResolved;
import org.minqing.api.v1.CaseReturned;
import org.minqing.api.v1.CaseSupervised;
import org.minqing.api.v1.CaseTransferred;
import org.minqing.api.v1.CaseUrged;
import org.minqing.api.v1.CitizenContacted;
import org.minqing.api.v1.PersonalDataErased;
import org.minqing.api.v1.DeadlineBreached;
import org.minqing.api.v1.DeadlineKind;
import org.minqing.api.v1.Deadlines;
import org.minqing.api.v1.ExtensionApproved;
import org.minqing.api.v1.ExtensionRefused;
import org.minqing.api.v1.ExtensionRequested;
import org.minqing.api.v1.FeedbackRecorded;
import org.minqing.api.v1.ProgressNoteAdded;
import org.minqing.api.v1.ReportLinked;
import org.minqing.api.v1.Satisfaction;
import org.minqing.api.v1.VisitCancelled;
import org.minqing.api.v1.VisitCheckedIn;
import org.minqing.api.v1.VisitCompleted;
import org.minqing.api.v1.VisitRescheduled;
import org.minqing.api.v1.VisitScheduled;

/**
 * One line of English per event, with the Chinese workflow word users know, e.g.
 * "Dispatched (派单) to water-bureau, handler 张三; respond by 2026-11-21 10:00, resolve by
 * 2026-12-01 00:00 (Asia/Shanghai)".
 *
 * <p>Personal data never appears: not the citizen's name, phone, ID number or address, nor the
 * texts most likely to carry them (the report's description, what was said when contacting the
 * citizen, the citizen's follow-up comment, visit places and positions). Reasons, notes,
 * findings and instructions written by staff are shown, shortened.
 */
final class TimelineSummaries {

    private static final int MAX_TEXT = 300;
    private static final int MAX_SUMMARY = 4000;
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ZoneId zone;

    TimelineSummaries(ZoneId zone) {
        this.zone = zone;
    }

    String describe(Message event) {
        Line line = new Line();
        if (event instanceof CaseReported e) {
            line.add("Reported (受理前) via ").add(label(e.getChannel()));
            if (!e.getPartnerReference().isEmpty()) {
                line.add(", partner reference ").add(e.getPartnerReference());
            }
            line.add(": ").add(e.getCategory()).add(", ").add(label(e.getUrgency())).add(", \"")
                    .text(e.getTitle()).add("\" in district ").add(e.getLocation().getDistrict());
            if (!e.getLocation().getGrid().isEmpty()) {
                line.add(", grid ").add(e.getLocation().getGrid());
            }
            line.count(e.getAttachmentsCount(), "attachment").add("; reported at ").time(e.getReportTime());
        } else if (event instanceof CaseAccepted e) {
            line.add("Accepted (受理)").note(": ", e.getNote());
        } else if (event instanceof CaseRejected e) {
            line.add("Rejected (不予受理)").note(": ", e.getReason());
        } else if (event instanceof CaseMerged e) {
            line.add("Merged (并单) into cases/").add(e.getTargetCaseId()).note(": ", e.getReason());
        } else if (event instanceof ReportLinked e) {
            line.add("Linked the report of cases/").add(e.getSourceCaseId()).add(" (并单), via ").add(label(e.getChannel()));
            if (!e.getPartnerReference().isEmpty()) {
                line.add(", partner reference ").add(e.getPartnerReference());
            }
        } else if (event instanceof CaseDispatched e) {
            line.add("Dispatched (派单) to ").add(e.getDepartment()).handler(e.getHandler())
                    .note(": ", e.getInstructions()).deadlines(e.getDeadlines());
        } else if (event instanceof CaseReturned e) {
            line.add("Returned (退单) by ").add(e.getDepartment()).note(": ", e.getReason());
        } else if (event instanceof CaseTransferred e) {
            line.add("Transferred (改派/转办) from ").add(e.getFromDepartment()).add(" to ").add(e.getDepartment())
                    .handler(e.getHandler()).note(": ", e.getReason()).deadlines(e.getDeadlines());
        } else if (event instanceof AssistanceRequested e) {
            line.add("Assistance requested (吹哨报到) from ").add(String.join(", ", e.getDepartmentsList()))
                    .note(": ", e.getReason());
        } else if (event instanceof CaseAcknowledged e) {
            line.add("Acknowledged (签收) by ").add(e.getDepartment()).handler(e.getHandler());
        } else if (event instanceof CitizenContacted e) {
            line.add("Citizen contacted (联系诉求人) by ").add(label(e.getMethod()));
            if (e.hasContactTime()) {
                line.add(" at ").time(e.getContactTime());
            }
        } else if (event instanceof VisitScheduled e) {
            line.add("Visit ").add(e.getVisitId()).add(" scheduled (走访) for ").time(e.getScheduledTime())
                    .visitors(e.getVisitorsList()).note("; purpose: ", e.getPurpose());
        } else if (event instanceof VisitRescheduled e) {
            line.add("Visit ").add(e.getVisitId()).add(" rescheduled to ").time(e.getScheduledTime())
                    .note(": ", e.getReason());
        } else if (event instanceof VisitCancelled e) {
            line.add("Visit ").add(e.getVisitId()).add(" cancelled").note(": ", e.getReason());
        } else if (event instanceof VisitCheckedIn e) {
            line.add("Visit ").add(e.getVisitId()).add(": ").add(e.getVisitor()).add(" checked in on site (现场核查)");
            if (e.hasCheckInTime()) {
                line.add(" at ").time(e.getCheckInTime());
            }
        } else if (event instanceof VisitCompleted e) {
            line.add("Visit ").add(e.getVisitId()).add(" completed").note(": ", e.getFindings())
                    .count(e.getEvidenceCount(), "evidence file");
        } else if (event instanceof ProgressNoteAdded e) {
            line.add("Progress note").note(": ", e.getNote());
        } else if (event instanceof CaseResolved e) {
            line.add("Resolved (办结)").note(": ", e.getSummary()).count(e.getEvidenceCount(), "evidence file");
        } else if (event instanceof FeedbackRecorded e) {
            line.add("Follow-up (回访): ").add(e.getSolved() ? "solved" : "not solved").add(", ")
                    .add(satisfaction(e.getSatisfaction()));
        } else if (event instanceof CaseClosed e) {
            line.add("Closed (结案)").note(": ", e.getNote());
        } else if (event instanceof CaseReopened e) {
            line.add("Reopened (重办)");
            if (!e.getDepartment().isEmpty()) {
                line.add(" to ").add(e.getDepartment());
            }
            line.note(": ", e.getReason()).deadlines(e.getDeadlines());
        } else if (event instanceof ExtensionRequested e) {
            line.add("Extension requested (延期) to ").time(e.getRequestedDeadline()).note(": ", e.getReason());
        } else if (event instanceof ExtensionApproved e) {
            line.add("Extension approved (延期): resolve by ").time(e.getResolutionDeadline()).note("; ", e.getNote());
        } else if (event instanceof ExtensionRefused e) {
            line.add("Extension refused (延期)").note(": ", e.getReason());
        } else if (event instanceof CaseUrged e) {
            line.add("Urged (催办)").note(": ", e.getMessage());
        } else if (event instanceof CaseSupervised e) {
            line.add("Put under supervision (督办)").note(": ", e.getInstructions());
        } else if (event instanceof DeadlineBreached e) {
            line.add(e.getKind() == DeadlineKind.DEADLINE_KIND_RESPONSE ? "Response" : "Resolution")
                    .add(" deadline passed (超期): ").time(e.getDeadline()).add(", with ").add(e.getDepartment());
        } else if (event instanceof PersonalDataErased e) {
            line.add("Personal data erased (个人信息已删除)").note(": ", e.getReason());
        } else {
            line.add("Recorded ").add(event.getDescriptorForType().getName());
        }
        return line.toString();
    }

    private static String satisfaction(Satisfaction s) {
        return switch (s) {
            case SATISFACTION_SATISFIED -> "满意 (satisfied)";
            case SATISFACTION_BASICALLY_SATISFIED -> "基本满意 (basically satisfied)";
            case SATISFACTION_UNSATISFIED -> "不满意 (unsatisfied)";
            default -> "satisfaction not stated";
        };
    }

    /** An enum value in words: CHANNEL_HOTLINE_12345 → "hotline 12345". */
    static String label(ProtocolMessageEnum value) {
        String prefix = value.getDescriptorForType().getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase() + "_";
        String name = value instanceof Enum<?> e ? e.name() : String.valueOf(value.getNumber());
        return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase().replace('_', ' ');
    }

    /** Builds one summary; remembers whether it stated a time, to name the zone once at the end. */
    private final class Line {
        private final StringBuilder text = new StringBuilder();
        private boolean timed;

        Line add(String s) {
            text.append(s);
            return this;
        }

        Line text(String s) {
            return add(s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…");
        }

        Line note(String separator, String s) {
            return s.isBlank() ? this : add(separator).text(s.strip());
        }

        Line handler(String handler) {
            return handler.isEmpty() ? this : add(", handler ").add(handler);
        }

        Line visitors(List<String> visitors) {
            return visitors.isEmpty() ? this : add(", visitors ").add(String.join(", ", visitors));
        }

        Line count(int n, String noun) {
            return n == 0 ? this : add("; " + n + " " + noun + (n == 1 ? "" : "s"));
        }

        Line time(Timestamp t) {
            if (t.getSeconds() == 0 && t.getNanos() == 0) {
                return add("(not stated)");
            }
            timed = true;
            return add(MINUTES.format(ProtoTime.instant(t).atZone(zone)));
        }

        /** "; respond [within 24h ]by …, resolve [within 7 working days ]by …" for the deadlines set. */
        Line deadlines(Deadlines d) {
            String separator = "; ";
            if (d.hasResponseDeadline()) {
                add(separator).add("respond ").limit(d.getResponseLimit()).add("by ").time(d.getResponseDeadline());
                separator = ", ";
            }
            if (d.hasResolutionDeadline()) {
                add(separator).add("resolve ").limit(d.getResolutionLimit()).add("by ").time(d.getResolutionDeadline());
            }
            return this;
        }

        private Line limit(String limit) {
            return limit.isBlank() ? this : add("within ").add(limit).add(" ");
        }

        @Override
        public String toString() {
            String s = timed ? text + " (" + zone.getId() + ")" : text.toString();
            return s.length() <= MAX_SUMMARY ? s : s.substring(0, MAX_SUMMARY - 1) + "…";
        }
    }
}
