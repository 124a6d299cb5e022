package org.minqing.edge.queries;

import static org.minqing.edge.Responses.respond;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.requests.ResourceNames;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseFeedEntry;
import org.minqing.api.v1.CaseQueryServiceGrpc;
import org.minqing.api.v1.CaseView;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.ListCasesRequest;
import org.minqing.api.v1.ListCasesResponse;
import org.minqing.api.v1.ListTimelineEntriesRequest;
import org.minqing.api.v1.ListTimelineEntriesResponse;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.api.v1.WatchCaseFeedRequest;
import org.minqing.api.v1.WatchTimelineEntriesRequest;
import org.minqing.edge.Caller;
import org.minqing.edge.Refusals;
import org.minqing.edge.Responses;
import org.minqing.edge.audit.PersonalDataReads;
import org.minqing.privacy.Envelopes;
import org.minqing.privacy.PrivacyProperties;
import org.minqing.query.QueryProperties;
import org.minqing.query.cases.CaseListQuery;
import org.minqing.query.cases.CaseReader;
import org.minqing.query.paging.PageTokens;
import org.minqing.query.timeline.TimelineReader;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * CaseQueryService over the read models. Reads are eventually consistent with commands: a
 * case's {@code revision} tells which of its events a response reflects.
 */
public class CaseQueryGrpcService extends CaseQueryServiceGrpc.CaseQueryServiceImplBase {

    private static final int DEFAULT_TIMELINE_PAGE = 100;
    private static final int MAX_TIMELINE_PAGE = 1000;

    private final JdbcClient jdbc;
    private final CaseReader cases;
    private final CaseListQuery caseList;
    private final TimelineReader timeline;
    private final Clock clock;
    private final PrivacyProperties privacy;
    private final ScheduledExecutorService watchScheduler;
    private final Duration watchPollInterval;
    private final WatchQuota watchQuota;
    private final PersonalDataReads personalDataReads;

    public CaseQueryGrpcService(JdbcTemplate jdbcTemplate, Clock clock, PrivacyProperties privacy,
                                QueryProperties properties,
                                @Qualifier(WatchConfiguration.WATCH_SCHEDULER) ScheduledExecutorService watchScheduler,
                                WatchQuota watchQuota, PersonalDataReads personalDataReads, Envelopes envelopes) {
        JdbcClient jdbc = JdbcClient.create(jdbcTemplate);
        this.jdbc = jdbc;
        this.cases = new CaseReader(jdbc, envelopes);
        this.caseList = new CaseListQuery(jdbc, cases, clock);
        this.timeline = new TimelineReader(jdbc);
        this.clock = clock;
        this.privacy = privacy;
        this.watchScheduler = watchScheduler;
        this.watchPollInterval = properties.watchPollInterval();
        this.watchQuota = watchQuota;
        this.personalDataReads = personalDataReads;
    }

    @Override
    public void getCase(GetCaseRequest request, StreamObserver<Case> observer) {
        respond(observer, () -> {
            FieldViolations violations = new FieldViolations();
            String caseId = ResourceNames.caseId("name", request.getName(), violations);
            violations.check(request.getView() != CaseView.UNRECOGNIZED, "view", "unknown view");
            violations.throwIfAny();
            boolean full = request.getView() == CaseView.CASE_VIEW_FULL;
            String method = CaseQueryServiceGrpc.getGetCaseMethod().getFullMethodName();
            if (full) {
                Caller caller = Caller.current();
                if (!privacy.personalDataRoles().contains(caller.role())) {
                    throw Refusals.permissionDenied(Refusals.PERSONAL_DATA_NOT_ALLOWED, "role " + caller.role()
                            + " may not read personal data (CASE_VIEW_FULL); use CASE_VIEW_BASIC", caller, method,
                            Map.of("view", CaseView.CASE_VIEW_FULL.name()));
                }
            }
            ReadScope.requireVisible(jdbc, caseId, method);
            Case found = cases.find(caseId, full, clock.instant()).orElseThrow(() -> notFound(request.getName()));
            if (full) {
                personalDataReads.record(method, caseId, CaseView.CASE_VIEW_FULL.name());
            }
            return found;
        });
    }

    @Override
    public void listCases(ListCasesRequest request, StreamObserver<ListCasesResponse> observer) {
        respond(observer, () -> {
            String method = CaseQueryServiceGrpc.getListCasesMethod().getFullMethodName();
            ListCasesRequest scoped = request.toBuilder().setDepartment(ReadScope.department(request.getDepartment(), method))
                    .build();
            return caseList.list(scoped, ReadScope.partnerSystem());
        });
    }

    @Override
    public void listTimelineEntries(ListTimelineEntriesRequest request,
                                    StreamObserver<ListTimelineEntriesResponse> observer) {
        respond(observer, () -> {
            FieldViolations violations = new FieldViolations();
            String caseId = ResourceNames.caseId("parent", request.getParent(), violations);
            int pageSize = PageTokens.pageSize(request.getPageSize(), DEFAULT_TIMELINE_PAGE, MAX_TIMELINE_PAGE, violations);
            String fingerprint = PageTokens.fingerprint(request);
            List<String> position = PageTokens.decode(request.getPageToken(), fingerprint, 1, violations);
            long from = 0;
            if (position != null && !position.isEmpty()) {
                try {
                    from = Long.parseLong(position.get(0));
                    if (from < 0) {
                        PageTokens.malformed(violations);
                    }
                } catch (NumberFormatException e) {
                    PageTokens.malformed(violations);
                }
            }
            violations.throwIfAny();
            ReadScope.requireVisible(jdbc, caseId, CaseQueryServiceGrpc.getListTimelineEntriesMethod().getFullMethodName());
            List<TimelineEntry> entries = timeline.read(caseId, from, pageSize + 1);
            if (entries.isEmpty() && from == 0 && !timeline.exists(caseId)) {
                throw notFound(request.getParent());
            }
            ListTimelineEntriesResponse.Builder response = ListTimelineEntriesResponse.newBuilder()
                    .addAllTimelineEntries(entries.subList(0, Math.min(pageSize, entries.size())));
            if (entries.size() > pageSize) {
                response.setNextPageToken(PageTokens.encode(fingerprint, List.of(
                        Long.toString(entries.get(pageSize).getSequence()))));
            }
            return response.build();
        });
    }

    @Override
    public void watchTimelineEntries(WatchTimelineEntriesRequest request, StreamObserver<TimelineEntry> observer) {
        try {
            FieldViolations violations = new FieldViolations();
            String caseId = ResourceNames.caseId("parent", request.getParent(), violations);
            violations.check(request.getStartSequence() >= 0, "start_sequence", "must not be negative");
            violations.throwIfAny();
            ReadScope.requireVisible(jdbc, caseId, CaseQueryServiceGrpc.getWatchTimelineEntriesMethod().getFullMethodName());
            if (!timeline.exists(caseId)) {
                throw notFound(request.getParent());
            }
            new TimelineWatch(timeline, caseId, request.getStartSequence(),
                    (ServerCallStreamObserver<TimelineEntry>) observer, watchQuota.acquire(Caller.current().id()))
                    .start(watchScheduler, watchPollInterval);
        } catch (RuntimeException e) {
            // a refusal passes through; a store outage (timeline.exists) becomes UNAVAILABLE, not UNKNOWN
            observer.onError(Responses.toStatus(e));
        }
    }

    @Override
    public void watchCaseFeed(WatchCaseFeedRequest request, StreamObserver<CaseFeedEntry> observer) {
        try {
            FieldViolations violations = new FieldViolations();
            long after = request.getResumeToken().isEmpty() ? -1 : FeedWatch.position(request.getResumeToken(), violations);
            violations.throwIfAny();
            new FeedWatch(timeline, after >= 0 ? after : timeline.feedHead(), ReadScope.partnerSystem(),
                    (ServerCallStreamObserver<CaseFeedEntry>) observer, watchQuota.acquire(Caller.current().id()))
                    .start(watchScheduler, watchPollInterval);
        } catch (RuntimeException e) {
            observer.onError(Responses.toStatus(e));
        }
    }

    private static StatusRuntimeException notFound(String name) {
        return Status.NOT_FOUND.withDescription("case " + name + " not found").asRuntimeException();
    }

}
