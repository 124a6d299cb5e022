package org.minqing.query;

import java.time.Clock;

import org.minqing.privacy.PrivacyConfiguration;
import org.minqing.query.supervision.SupervisionProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What the query role needs beside the read models: its settings, a clock, and the key store that
 * opens the citizens' personal data a full view shows.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({QueryProperties.class, SupervisionProperties.class})
@Import(PrivacyConfiguration.class)
public class QueryConfiguration {

    /** Overdue flags are computed against this clock; tests and simulations provide their own. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
