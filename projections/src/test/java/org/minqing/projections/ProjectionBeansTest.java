package org.minqing.projections;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.minqing.projections.summary.CaseSummaryProjection;
import org.minqing.projections.summary.CaseVisitsProjection;
import org.minqing.projections.timeline.CaseTimelineProjection;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** The projections wire with their settings (the role switch: server's RestartAndRolesTest). */
class ProjectionBeansTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(JdbcTemplate.class, () -> new JdbcTemplate(ReadModelDatabase.create()))
            .withUserConfiguration(ProjectionsConfiguration.class, CaseSummaryProjection.class,
                    CaseVisitsProjection.class, CaseTimelineProjection.class);

    @Test
    void wiredWithDefaultSettings() {
        runner.run(context -> assertThat(context).hasSingleBean(CaseSummaryProjection.class)
                .hasSingleBean(CaseVisitsProjection.class).hasSingleBean(CaseTimelineProjection.class)
                .getBean(ProjectionProperties.class).extracting(ProjectionProperties::timeZone)
                .hasToString("Asia/Shanghai"));
    }

    @Test
    void theTimelineZoneIsConfigurable() {
        runner.withPropertyValues("minqing.projections.time-zone=Asia/Urumqi").run(context -> assertThat(
                context.getBean(ProjectionProperties.class).timeZone()).hasToString("Asia/Urumqi"));
    }
}
