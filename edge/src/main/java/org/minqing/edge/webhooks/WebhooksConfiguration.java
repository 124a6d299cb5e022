package org.minqing.edge.webhooks;

import java.time.Clock;

import org.minqing.query.timeline.TimelineReader;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** Outbound webhooks from the change feed (docs/webhooks.md). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
@EnableScheduling
public class WebhooksConfiguration {

    static final String SCHEDULER = "webhookScheduler";

    /**
     * Its own thread: a receiver that answers slowly delays only the deliveries. A lifecycle bean,
     * like the main scheduler: a stop waits for the delivery in progress, then the database closes.
     */
    @Bean(SCHEDULER)
    ThreadPoolTaskScheduler webhookScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix("webhooks-");
        return scheduler;
    }

    /** Deliveries are timed and backed off against this clock (the command or query role's, when it runs here). */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    WebhookStates webhookStates(JdbcTemplate jdbc) {
        return new WebhookStates(jdbc);
    }

    @Bean
    WebhookDispatcher webhookDispatcher(JdbcTemplate jdbc, WebhookStates states, WebhookProperties properties, Clock clock) {
        return new WebhookDispatcher(new TimelineReader(JdbcClient.create(jdbc)), states, properties, clock);
    }
}
