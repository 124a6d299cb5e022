package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minqing.command.cases.Case;
import org.minqing.command.cases.MergeCaseHandler;
import org.minqing.command.deadlinewatch.DeadlineTimers;
import org.minqing.command.deadlinewatch.DeadlineWatch;
import org.minqing.command.handling.RequestLedger;
import org.minqing.edge.audit.AuditGrpcService;
import org.minqing.edge.commands.CaseCommandGrpcService;
import org.minqing.edge.queries.CaseQueryGrpcService;
import org.minqing.edge.queries.SupervisionGrpcService;
import org.minqing.edge.queries.WatchQuota;
import org.minqing.projections.summary.CaseSummaryProjection;
import org.minqing.projections.summary.CaseVisitsProjection;
import org.minqing.projections.supervision.SupervisionProjection;
import org.minqing.projections.timeline.CaseTimelineProjection;

/** A process playing one role builds that role's beans and none of the others'. */
class RolesTest {

    private static final Map<String, List<Class<?>>> BEANS = Map.of(
            "command", List.of(Case.class, MergeCaseHandler.class, RequestLedger.class, DeadlineTimers.class,
                    DeadlineWatch.class, CaseCommandGrpcService.class),
            "projections", List.of(CaseSummaryProjection.class, CaseVisitsProjection.class,
                    CaseTimelineProjection.class, SupervisionProjection.class),
            "query", List.of(CaseQueryGrpcService.class, SupervisionGrpcService.class, WatchQuota.class),
            "audit", List.of(AuditGrpcService.class));

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"command", "projections", "query", "audit"})
    void aProcessBuildsOnlyTheBeansOfItsRoles(String role) {
        String[] roles = BEANS.keySet().stream().map(r -> "minqing.roles." + r + "=" + r.equals(role)).toArray(String[]::new);
        try (MinqingServer server = MinqingServer.start(dataDir, roles)) {
            BEANS.forEach((owner, types) -> types.forEach(type -> assertThat(server.context.getBeanNamesForType(type))
                    .as("%s beans of %s in a %s process", type.getSimpleName(), owner, role)
                    .hasSize(owner.equals(role) ? 1 : 0)));
        }
    }

    @Test
    void aProcessPlaysEveryRoleByDefault() {
        try (MinqingServer server = MinqingServer.start(dataDir)) {
            assertThat(BEANS.values().stream().flatMap(List::stream)
                    .filter(type -> server.context.getBeanNamesForType(type).length != 1)).isEmpty();
        }
    }
}
