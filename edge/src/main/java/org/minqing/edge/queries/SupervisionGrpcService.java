package org.minqing.edge.queries;

import static org.minqing.edge.Responses.respond;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.minqing.api.requests.FieldViolations;
import org.minqing.api.v1.ListDepartmentRankingsRequest;
import org.minqing.api.v1.ListDepartmentRankingsResponse;
import org.minqing.api.v1.ListRatesRequest;
import org.minqing.api.v1.ListRatesResponse;
import org.minqing.api.v1.ListWorklistItemsRequest;
import org.minqing.api.v1.ListWorklistItemsResponse;
import org.minqing.api.v1.SupervisionServiceGrpc;
import org.minqing.api.v1.WatchWorklistRequest;
import org.minqing.api.v1.WorklistChange;
import org.minqing.api.v1.WorklistFilter;
import org.minqing.edge.Caller;
import org.minqing.edge.Responses;
import org.minqing.query.supervision.SupervisionProperties;
import org.minqing.query.supervision.SupervisionReports;
import org.minqing.query.supervision.Worklist;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** SupervisionService over the supervision read models; docs/metrics.md defines every number. */
public class SupervisionGrpcService extends SupervisionServiceGrpc.SupervisionServiceImplBase {

    private final Worklist worklist;
    private final SupervisionReports reports;
    private final SupervisionProperties properties;
    private final ScheduledExecutorService watchScheduler;
    private final WatchQuota watchQuota;

    public SupervisionGrpcService(JdbcTemplate jdbc, Clock clock, SupervisionProperties properties,
                                  @Qualifier(WatchConfiguration.WATCH_SCHEDULER) ScheduledExecutorService watchScheduler,
                                  WatchQuota watchQuota) {
        TransactionTemplate snapshot = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        this.worklist = new Worklist(JdbcClient.create(jdbc), snapshot, clock, properties);
        this.reports = new SupervisionReports(jdbc, properties);
        this.properties = properties;
        this.watchScheduler = watchScheduler;
        this.watchQuota = watchQuota;
    }

    @Override
    public void listWorklistItems(ListWorklistItemsRequest request, StreamObserver<ListWorklistItemsResponse> observer) {
        respond(observer, () -> worklist.list(request.toBuilder().setFilter(scoped(request.getFilter(),
                SupervisionServiceGrpc.getListWorklistItemsMethod().getFullMethodName())).build()));
    }

    @Override
    public void watchWorklist(WatchWorklistRequest request, StreamObserver<WorklistChange> observer) {
        try {
            FieldViolations violations = new FieldViolations();
            Worklist.validate(request.getFilter(), violations);
            violations.throwIfAny();
            WorklistFilter filter = scoped(request.getFilter(), SupervisionServiceGrpc.getWatchWorklistMethod().getFullMethodName());
            new WorklistWatch(worklist, filter, (ServerCallStreamObserver<WorklistChange>) observer,
                    watchQuota.acquire(Caller.current().id()))
                    .start(watchScheduler, properties.watchPollInterval());
        } catch (RuntimeException e) {
            observer.onError(Responses.toStatus(e));
        }
    }

    @Override
    public void listRates(ListRatesRequest request, StreamObserver<ListRatesResponse> observer) {
        respond(observer, () -> reports.rates(request.toBuilder().setDepartment(ReadScope.department(
                request.getDepartment(), SupervisionServiceGrpc.getListRatesMethod().getFullMethodName())).build()));
    }

    @Override
    public void listDepartmentRankings(ListDepartmentRankingsRequest request,
                                       StreamObserver<ListDepartmentRankingsResponse> observer) {
        respond(observer, () -> reports.rankings(request));
    }

    /** A department sees only its own worklist. */
    private static WorklistFilter scoped(WorklistFilter filter, String method) {
        return filter.toBuilder().setDepartment(ReadScope.department(filter.getDepartment(), method)).build();
    }
}
