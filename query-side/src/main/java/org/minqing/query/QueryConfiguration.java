package org.minqing.query;

import java.time.Clock;

import org.minqing.query.supervision.SupervisionProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the query role needs beside the read models: its settings and a clock. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PrivacyProperties.class, QueryProperties.class, SupervisionProperties.class})
public class QueryConfiguration {

    /** Overdue flags are computed against this clock; tests and simulations provide their own. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
