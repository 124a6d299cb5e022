package org.minqing.projections;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.minqing.projections.summary.CaseSummaryProjection;
import org.minqing.projections.summary.CaseVisitsProjection;
import org.minqing.projections.timeline.CaseTimelineProjection;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/** The projections wire with their settings (the role switch: server's RestartAndRolesTest). */
class ProjectionBeansTest {

    private final DataSource database = ReadModelDatabase.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(JdbcTemplate.class, () -> new JdbcTemplate(database))
            .withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(database))
            .withPropertyValues("minqing.privacy.master-key=" + TestKeys.MASTER_KEY)
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
