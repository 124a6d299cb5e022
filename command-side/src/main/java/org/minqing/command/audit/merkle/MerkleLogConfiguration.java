package org.minqing.command.audit.merkle;

import java.time.Clock;

import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.minqing.command.audit.CaseAudit;
import org.minqing.command.deadlines.DeadlinePolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The Merkle log over the event log and its signed checkpoints (audit role). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(CheckpointProperties.class)
public class MerkleLogConfiguration {

    @Bean
    MerkleLog merkleLog(JdbcTemplate jdbc, PlatformTransactionManager transactions, EventStorageEngine engine,
                        @Qualifier("eventSerializer") Serializer eventSerializer, DeadlinePolicy policy,
                        CheckpointProperties properties) {
        return new MerkleLog(jdbc, new TransactionTemplate(transactions), new CaseAudit(engine, eventSerializer, policy),
                properties.settleTime());
    }

    @Bean
    LogCheck logCheck(JdbcTemplate jdbc, EventStorageEngine engine, @Qualifier("eventSerializer") Serializer eventSerializer,
                      DeadlinePolicy policy, MerkleLog merkleLog) {
        return new LogCheck(jdbc, new CaseAudit(engine, eventSerializer, policy), merkleLog, Clock.systemUTC());
    }

    /** Gaps settle and checkpoints fall due by the application's clock, the one events are stamped with. */
    @Bean
    Checkpoints checkpoints(JdbcTemplate jdbc, MerkleLog merkleLog, CheckpointProperties properties,
                            ObjectProvider<Clock> clock) {
        return new Checkpoints(jdbc, merkleLog, properties, clock.getIfAvailable(Clock::systemUTC));
    }
}
