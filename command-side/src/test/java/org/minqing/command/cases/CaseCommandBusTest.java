package org.minqing.command.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.CaseDispatched;
import org.minqing.api.v1.CaseReported;
import org.minqing.command.cases.CaseCommands.AcceptCase;
import org.minqing.command.cases.CaseCommands.DispatchCase;
import org.minqing.command.cases.CaseCommands.ResolveCase;
import org.minqing.command.deadlines.DeadlinePolicy;

/**
 * The case through real Axon command handling and event sourcing (no fixture): what the transport
 * will see from {@code sendAndWait}.
 */
class CaseCommandBusTest {

    private final AxonHarness axon = new AxonHarness(DeadlinePolicy.defaults());

    @AfterEach
    void tearDown() {
        axon.close();
    }

    @Test
    void aRetriedReportCreatesTheCaseOnce() {
        axon.gateway.sendAndWait(CaseHistory.report("case-7"));
        axon.gateway.sendAndWait(CaseHistory.report("case-7"));

        assertThat(axon.events("case-7")).singleElement().isInstanceOf(CaseReported.class)
                .isEqualTo(CaseHistory.reported("case-7"));
    }

    @Test
    void aRefusalSurfacesFromSendAndWaitAsTheRefusalItself() {
        axon.gateway.sendAndWait(CaseHistory.report("case-7"));

        assertThatThrownBy(() -> axon.gateway.sendAndWait(new ResolveCase("case-7", "", List.of())))
                .isExactlyInstanceOf(CaseRefusedException.class)
                .hasMessageStartingWith("case case-7 is REPORTED: RESOLVE is not allowed");
        assertThat(axon.events("case-7")).hasSize(1);
    }

    @Test
    void aCommandForAnUnknownCaseIsNotFound() {
        assertThatThrownBy(() -> axon.gateway.sendAndWait(new AcceptCase("case-nowhere", "")))
                .isInstanceOf(AggregateNotFoundException.class);
    }

    @Test
    void dispatchGetsTheDeadlinePolicyInjected() {
        axon.gateway.sendAndWait(CaseHistory.report("case-7"));
        axon.gateway.sendAndWait(new AcceptCase("case-7", ""));
        axon.gateway.sendAndWait(new DispatchCase("case-7", "dept-roads", "", ""));

        assertThat(axon.events("case-7")).last().isInstanceOfSatisfying(CaseDispatched.class,
                e -> assertThat(e.getDeadlines().getResolutionLimit()).isEqualTo("7 working days"));
    }
}
