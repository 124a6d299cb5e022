package org.minqing.edge.queries;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.minqing.projections.ReadModelDatabase;
import org.minqing.privacy.PrivacyProperties;
import org.minqing.query.QueryConfiguration;
import org.minqing.query.QueryProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** The query services wire from their configurations; the settings have defaults (the role switch: server's RestartAndRolesTest). */
class QueryBeansTest {

    private final javax.sql.DataSource database = ReadModelDatabase.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(JdbcTemplate.class, () -> new JdbcTemplate(database))
            .withBean(org.springframework.transaction.PlatformTransactionManager.class,
                    () -> new org.springframework.jdbc.datasource.DataSourceTransactionManager(database))
            .withPropertyValues("minqing.privacy.master-key=" + org.minqing.projections.TestKeys.MASTER_KEY)
            .withBean(io.micrometer.core.instrument.MeterRegistry.class, io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)
            .withUserConfiguration(QueryConfiguration.class, WatchConfiguration.class, CaseQueryGrpcService.class,
                    org.minqing.edge.audit.PersonalDataReads.class);

    @Test
    void onByDefaultWithTheSystemClockAndDefaultSettings() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CaseQueryGrpcService.class);
            assertThat(context.getBean(Clock.class).getZone()).isEqualTo(ZoneOffset.UTC);
            assertThat(context.getBean(PrivacyProperties.class).personalDataRoles())
                    .containsExactly("dispatcher", "department", "grid_worker");
            assertThat(context.getBean(QueryProperties.class).watchPollInterval()).isEqualTo(Duration.ofMillis(200));
        });
    }

    @Test
    void aClockBeanOfTheApplicationWins() {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC);
        runner.withBean(Clock.class, () -> fixed).run(context -> assertThat(context.getBean(Clock.class)).isSameAs(fixed));
    }

    @Test
    void settingsAreConfigurable() {
        runner.withPropertyValues("minqing.privacy.personal-data-roles=auditor",
                "minqing.query.watch-poll-interval=1s", "minqing.query.watch-threads=4").run(context -> {
                    assertThat(context.getBean(PrivacyProperties.class).personalDataRoles()).containsExactly("auditor");
                    assertThat(context.getBean(QueryProperties.class).watchPollInterval()).isEqualTo(Duration.ofSeconds(1));
                });
    }
}
