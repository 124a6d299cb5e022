package org.minqing.privacy;

import java.time.Clock;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The key store and envelopes, for the roles that seal personal data (commands) and open it
 * (projections). A process without a master key does not start: it never falls back to storing
 * personal data in the clear.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PrivacyProperties.class)
public class PrivacyConfiguration {

    static final String NO_MASTER_KEY = "No master key for citizens' personal data: set minqing.privacy.master-key-file"
            + " to a file outside the data directory holding 32 random bytes in base64 (make one with: openssl rand"
            + " -base64 32; docs/privacy.md), or run with --spring.profiles.active=dev for development";

    @Bean
    MasterKey masterKey(PrivacyProperties properties) {
        if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
            return MasterKey.parse(properties.masterKey(), "minqing.privacy.master-key");
        }
        if (properties.masterKeyFile() != null) {
            return MasterKey.read(properties.masterKeyFile());
        }
        throw new MasterKeyException(NO_MASTER_KEY);
    }

    @Bean(initMethod = "start")
    DataKeys dataKeys(JdbcTemplate jdbc, PlatformTransactionManager transactions, MasterKey master,
                      PrivacyProperties properties, ObjectProvider<Clock> clock) {
        List<MasterKey> previous = properties.previousMasterKeyFiles().stream().map(MasterKey::read).toList();
        return new DataKeys(jdbc, transactions, master, previous, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    Envelopes envelopes(DataKeys keys) {
        return new Envelopes(keys);
    }
}
