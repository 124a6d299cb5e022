package org.minqing.command.privacy;

import java.time.Clock;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.minqing.command.store.PromptEventStore;
import org.minqing.privacy.DataKeys;
import org.minqing.privacy.PrivacyConfiguration;
import org.minqing.privacy.PrivacyProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/** The command role's part of crypto-shredding: sealing as events are stored, erasure, retention. */
@Configuration(proxyBeanMethods = false)
@Import(PrivacyConfiguration.class)
public class PersonalDataConfiguration {

    /** Registered on the event bus, Axon's seam for what every published event goes through. */
    @Bean
    PersonalDataSealing personalDataSealing(DataKeys keys, PrivacyProperties properties, JdbcTemplate jdbc, Clock clock,
                                            PromptEventStore eventStore) {
        PersonalDataSealing sealing = new PersonalDataSealing(keys, properties.cipher().envelope(), jdbc, clock);
        eventStore.registerDispatchInterceptor(sealing);
        return sealing;
    }

    @Bean
    ErasureQueue erasureQueue(JdbcTemplate jdbc, CommandGateway commands) {
        return new ErasureQueue(jdbc, commands);
    }

    @Bean
    RetentionPolicy retentionPolicy(JdbcTemplate jdbc, CommandGateway commands, PrivacyProperties properties,
                                    Clock clock) {
        return new RetentionPolicy(jdbc, commands, properties.retention(), clock);
    }
}
