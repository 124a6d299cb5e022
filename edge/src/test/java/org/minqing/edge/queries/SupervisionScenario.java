package org.minqing.edge.queries;

import static org.minqing.projections.SampleEvents.deadlines;
import static org.minqing.projections.SampleEvents.reported;
import static org.minqing.projections.SampleEvents.ts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import com.google.protobuf.Message;
import org.axonframework.eventhandling.DomainEventMessage;
import org.minqing.api.v1.*;
import org.minqing.projections.EventFeed;
import org.minqing.projections.ReadModelDatabase;
import org.minqing.query.supervision.SupervisionProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cases told as events at chosen times, fed to the real projections, with the supervision
 * service over them on a fixed clock. Keeps the log so that a test can rebuild the read models.
 */
final class SupervisionScenario implements AutoCloseable {

    final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    final EventFeed feed = EventFeed.allProjections(jdbc, Instant.EPOCH);
    final List<DomainEventMessage<?>> log = new ArrayList<>();
    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    final SupervisionGrpcService service;

    SupervisionScenario(Instant now) {
        scheduler.setRemoveOnCancelPolicy(true);
        service = new SupervisionGrpcService(jdbc, Clock.fixed(now, ZoneOffset.UTC),
                new SupervisionProperties(null, null, null, Duration.ofMillis(20)), scheduler, new WatchQuota(16));
    }

    /** Like Axon, applies each event's rows in one transaction, so a concurrent read never sees half. */
    private final TransactionTemplate transaction =
            new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));

    void at(Instant time, Message event) {
        log.add(transaction.execute(status -> feed.at(time).publish(event)));
    }

    /** Reported and accepted just before {@code time}, in the given district and category. */
    void newCase(String caseId, Instant time) {
        at(time.minusSeconds(120), reported(caseId, time.minusSeconds(120)).setCategory("roads").build());
        at(time.minusSeconds(60), CaseAccepted.newBuilder().setCaseId(caseId).build());
    }

    void dispatch(String caseId, String department, Instant time, Duration respond, Duration resolve) {
        at(time, CaseDispatched.newBuilder().setCaseId(caseId).setDepartment(department)
                .setDeadlines(deadlines(time.plus(respond), time.plus(resolve))).build());
    }

    /** Acknowledged, then contacted: the contact completes the response, at the later of the two (as the case records it). */
    void respond(String caseId, Instant acknowledged, Instant contacted) {
        at(acknowledged, CaseAcknowledged.newBuilder().setCaseId(caseId).build());
        at(contacted, CitizenContacted.newBuilder().setCaseId(caseId).setMethod(ContactMethod.CONTACT_METHOD_PHONE)
                .setResponseTime(ts(contacted.isAfter(acknowledged) ? contacted : acknowledged)).build());
    }

    void breach(String caseId, DeadlineKind kind, Instant deadline, String department) {
        at(deadline, DeadlineBreached.newBuilder().setCaseId(caseId).setKind(kind).setDeadline(ts(deadline))
                .setDepartment(department).build());
    }

    void resolve(String caseId, Instant time) {
        at(time, CaseResolved.newBuilder().setCaseId(caseId).setSummary("done").build());
    }

    void feedback(String caseId, Instant time, boolean solved, Satisfaction satisfaction) {
        at(time, FeedbackRecorded.newBuilder().setCaseId(caseId).setSolved(solved).setSatisfaction(satisfaction).build());
    }

    void close(String caseId, Instant time) {
        at(time, CaseClosed.newBuilder().setCaseId(caseId).build());
    }

    /** What an operator's rebuild does: empty the read models and replay the whole log. */
    void rebuild() {
        feed.reset();
        log.forEach(feed::deliver);
    }

    <Q, R> R call(java.util.function.BiConsumer<Q, RecordingObserver<R>> method, Q request) {
        RecordingObserver<R> observer = new RecordingObserver<>();
        org.minqing.edge.Caller.runAs(QueryFixture.SUPERVISOR, () -> method.accept(request, observer));
        return observer.single();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
