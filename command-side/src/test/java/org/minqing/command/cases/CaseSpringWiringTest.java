package org.minqing.command.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.Message;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.springboot.autoconfig.EventProcessingAutoConfiguration;
import org.axonframework.springboot.autoconfig.InfraConfiguration;
import org.axonframework.springboot.autoconfig.NoOpTransactionAutoConfiguration;
import org.axonframework.springboot.autoconfig.ObjectMapperAutoConfiguration;
import org.axonframework.springboot.autoconfig.XStreamAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseDispatched;
import org.minqing.api.v1.CaseMerged;
import org.minqing.api.v1.ReportLinked;
import org.minqing.command.cases.CaseCommands.AcceptCase;
import org.minqing.command.cases.CaseCommands.DispatchCase;
import org.minqing.command.cases.CaseCommands.MergeCase;
import org.minqing.command.cases.CaseCommands.ResolveCase;
import org.minqing.command.deadlines.DeadlineConfiguration;
import org.minqing.command.store.SnapshotConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The aggregate, the merge handler and the deadline policy wired by Axon's Spring Boot
 * auto-configuration: the Case repository is injected into {@link MergeCaseHandler}, the policy
 * and clock beans into the case's handlers. The event store is in memory here; the application supplies its own.
 */
class CaseSpringWiringTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AxonAutoConfiguration.class, AxonTracingAutoConfiguration.class, InfraConfiguration.class,
                    EventProcessingAutoConfiguration.class, NoOpTransactionAutoConfiguration.class,
                    ObjectMapperAutoConfiguration.class, XStreamAutoConfiguration.class))
            .withPropertyValues("axon.axonserver.enabled=false")
            .withBean(EventStorageEngine.class, InMemoryEventStorageEngine::new)
            .withBean("caseCache", Cache.class, WeakReferenceCache::new)
            .withBean(java.time.Clock.class, java.time.Clock::systemUTC)
            .withUserConfiguration(DeadlineConfiguration.class, SnapshotConfiguration.class, Case.class,
                    MergeCaseHandler.class);

    @Test
    void commandsReachTheCaseAndTheMergeHandlerThroughSpring() {
        context.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            CommandGateway gateway = ctx.getBean(CommandGateway.class);
            for (String id : List.of("case-a", "case-b")) {
                gateway.sendAndWait(CaseHistory.report(id));
                gateway.sendAndWait(new AcceptCase(id, ""));
            }
            gateway.sendAndWait(new DispatchCase("case-b", "dept-roads", "", ""));
            gateway.sendAndWait(new MergeCase("case-a", "case-b", "same pothole"));

            EventStore events = ctx.getBean(EventStore.class);
            assertThat(events.readEvents("case-a").asStream().map(Message::getPayload))
                    .last().isInstanceOf(CaseMerged.class);
            List<Object> target = events.readEvents("case-b").asStream().map(Message::getPayload)
                    .<Object>map(p -> p).toList();
            assertThat(target.get(2)).isInstanceOfSatisfying(CaseDispatched.class,
                    e -> assertThat(e.getDeadlines().getResolutionLimit()).isEqualTo("7 working days"));
            assertThat(target.get(3)).isInstanceOf(ReportLinked.class);
            assertThatThrownBy(() -> gateway.sendAndWait(new ResolveCase("case-a", "", List.of())))
                    .isExactlyInstanceOf(CaseRefusedException.class);
        });
    }
}
