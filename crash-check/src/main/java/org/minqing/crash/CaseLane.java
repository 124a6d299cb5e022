package org.minqing.crash;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.AcknowledgeCaseRequest;
import org.minqing.api.v1.AddProgressNoteRequest;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.CaseCommandServiceGrpc.CaseCommandServiceBlockingStub;
import org.minqing.api.v1.Channel;
import org.minqing.api.v1.Citizen;
import org.minqing.api.v1.CloseCaseRequest;
import org.minqing.api.v1.ContactMethod;
import org.minqing.api.v1.DispatchCaseRequest;
import org.minqing.api.v1.Location;
import org.minqing.api.v1.RecordCitizenContactRequest;
import org.minqing.api.v1.RecordFeedbackRequest;
import org.minqing.api.v1.ReportCaseRequest;
import org.minqing.api.v1.ResolveCaseRequest;
import org.minqing.api.v1.Satisfaction;
import org.minqing.api.v1.Urgency;

/**
 * One partner system's lane: drives case after case through report → accept → dispatch →
 * acknowledge → contact → 2–5 progress notes → resolve → feedback → close, one command at a time,
 * each with a unique request id, and records every OK in the {@link Ledger}.
 *
 * <p>As a partner would: a command that gets no answer (the server was killed, or is still
 * starting) is sent again with the same request id and the same request until it is answered.
 * Now and then an acknowledged command is sent again as well; it must get its first answer back.
 * A refusal is recorded and the lane goes on with a new case.
 */
final class CaseLane implements Callable<Void> {

    /** What a partner retries with the same request id: no answer, or the documented "retry" statuses. */
    private static final Set<Status.Code> NO_ANSWER = EnumSet.of(Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.ABORTED);
    private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(2);

    /** @param byDepartment sent with the handling department's key, else with the dispatcher's */
    private record Command(String method, String requestId, String caseName, boolean byDepartment,
                           Function<CaseCommandServiceBlockingStub, CaseChange> call) {
    }

    private record Answered(Command command, CaseChange answer) {
    }

    private final int lane;
    private final Function<Boolean, CaseCommandServiceBlockingStub> server;
    private final BooleanSupplier running;
    private final Ledger ledger;
    private final Random random;
    private final List<Answered> answered = new ArrayList<>();
    private int requests;

    /**
     * @param server the dispatcher's (false) or the department's (true) stub of the server running
     *               now (it changes at every restart)
     */
    CaseLane(int lane, long seed, Function<Boolean, CaseCommandServiceBlockingStub> server, BooleanSupplier running,
             Ledger ledger) {
        this.lane = lane;
        this.server = server;
        this.running = running;
        this.ledger = ledger;
        this.random = new Random(seed * 31 + lane);
    }

    @Override
    public Void call() {
        for (int number = 0; running.getAsBoolean(); number++) {
            driveCase(number);
        }
        return null;
    }

    private void driveCase(int number) {
        String rid = nextRequestId();
        ReportCaseRequest report = ReportCaseRequest.newBuilder().setRequestId(rid)
                .setChannel(Channel.CHANNEL_WEB).setPartnerReference("crash-" + lane + "-" + number)
                .setCitizen(Citizen.newBuilder().setName("李雷").setPhone("13900000000"))
                .setCategory("noise").setUrgency(Urgency.URGENCY_NORMAL).setTitle("Night-time construction noise")
                .setLocation(Location.newBuilder().setDistrict("haidian").setGrid("hd-004")).build();
        CaseChange reported = send(new Command("ReportCase", rid, "(new case)", false, s -> s.reportCase(report)));
        if (reported == null) {
            return;
        }
        String name = reported.getCase();
        List<Function<String, Command>> steps = new ArrayList<>();
        steps.add(r -> command("AcceptCase", r, name, AcceptCaseRequest.newBuilder().setName(name).setRequestId(r)
                .build(), CaseCommandServiceBlockingStub::acceptCase));
        steps.add(r -> command("DispatchCase", r, name, DispatchCaseRequest.newBuilder().setName(name)
                .setRequestId(r).setDepartment(CrashCheck.DEPARTMENT).setHandler("wang-wu").build(),
                CaseCommandServiceBlockingStub::dispatchCase));
        steps.add(r -> departmentCommand("AcknowledgeCase", r, name, AcknowledgeCaseRequest.newBuilder().setName(name)
                .setRequestId(r).build(), CaseCommandServiceBlockingStub::acknowledgeCase));
        steps.add(r -> departmentCommand("RecordCitizenContact", r, name, RecordCitizenContactRequest.newBuilder()
                .setName(name).setRequestId(r).setMethod(ContactMethod.CONTACT_METHOD_PHONE).build(),
                CaseCommandServiceBlockingStub::recordCitizenContact));
        for (int note = 2 + random.nextInt(4); note > 0; note--) {
            steps.add(r -> departmentCommand("AddProgressNote", r, name, AddProgressNoteRequest.newBuilder().setName(name)
                    .setRequestId(r).setNote("site checked, request " + r).build(),
                    CaseCommandServiceBlockingStub::addProgressNote));
        }
        steps.add(r -> departmentCommand("ResolveCase", r, name, ResolveCaseRequest.newBuilder().setName(name)
                .setRequestId(r).setSummary("works moved to daytime").build(),
                CaseCommandServiceBlockingStub::resolveCase));
        steps.add(r -> command("RecordFeedback", r, name, RecordFeedbackRequest.newBuilder().setName(name)
                .setRequestId(r).setSolved(true).setSatisfaction(Satisfaction.SATISFACTION_SATISFIED).build(),
                CaseCommandServiceBlockingStub::recordFeedback));
        steps.add(r -> command("CloseCase", r, name, CloseCaseRequest.newBuilder().setName(name).setRequestId(r)
                .build(), CaseCommandServiceBlockingStub::closeCase));
        for (Function<String, Command> step : steps) {
            if (!running.getAsBoolean()) {
                return;
            }
            maybeResendAnAcknowledgedOne();
            if (send(step.apply(nextRequestId())) == null) {
                return;
            }
        }
    }

    private static <R> Command command(String method, String rid, String name, R request,
                                       BiFunction<CaseCommandServiceBlockingStub, R, CaseChange> rpc) {
        return new Command(method, rid, name, false, stub -> rpc.apply(stub, request));
    }

    private static <R> Command departmentCommand(String method, String rid, String name, R request,
                                                 BiFunction<CaseCommandServiceBlockingStub, R, CaseChange> rpc) {
        return new Command(method, rid, name, true, stub -> rpc.apply(stub, request));
    }

    private String nextRequestId() {
        return String.format("lane%d-%06d", lane, requests++);
    }

    /** Sends until answered; returns the answer, or null (recorded) when refused. */
    private CaseChange send(Command command) {
        CaseChange answer = call(command);
        if (answer != null) {
            ledger.acknowledged(new Ledger.Ack(command.requestId(), command.method(), answer.getCase(),
                    answer.getRevision(), answer.getEventTypesList()));
            if (random.nextInt(4) == 0) {
                answered.add(new Answered(command, answer));
            }
        }
        return answer;
    }

    /** One time in ten: an acknowledged command of this lane again, which must be answered as the first time. */
    private void maybeResendAnAcknowledgedOne() {
        if (answered.isEmpty() || random.nextInt(10) != 0) {
            return;
        }
        Answered earlier = answered.get(random.nextInt(answered.size()));
        ledger.resent.incrementAndGet();
        CaseChange again = call(earlier.command());
        if (again != null && !again.equals(earlier.answer())) {
            ledger.refused("resent acknowledged request " + earlier.command().requestId() + " ("
                    + earlier.command().method() + " on " + earlier.command().caseName() + ") was answered "
                    + oneLine(again) + ", the first time " + oneLine(earlier.answer()));
        }
    }

    private CaseChange call(Command command) {
        long giveUp = System.nanoTime() + GIVE_UP_NANOS;
        for (boolean retry = false; ; retry = true) {
            try {
                CaseChange answer = command.call().apply(server.apply(command.byDepartment()).withDeadlineAfter(10, TimeUnit.SECONDS));
                if (retry) {
                    ledger.retriedUnanswered.incrementAndGet();
                }
                return answer;
            } catch (StatusRuntimeException e) {
                if (!NO_ANSWER.contains(e.getStatus().getCode()) || System.nanoTime() > giveUp) {
                    ledger.refused("request " + command.requestId() + " (" + command.method() + " on "
                            + command.caseName() + ") refused: " + e.getStatus());
                    return null;
                }
                pause();
            }
        }
    }

    private static String oneLine(CaseChange change) {
        return "{revision " + change.getRevision() + ", case " + change.getCase() + ", events "
                + change.getEventTypesList() + "}";
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("lane interrupted", e);
        }
    }
}
