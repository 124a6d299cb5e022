package org.minqing.server.roles;

import io.micrometer.core.instrument.MeterRegistry;
import org.minqing.command.audit.merkle.LogCheck;
import org.minqing.command.audit.merkle.MerkleLogConfiguration;
import org.minqing.edge.audit.AuditGrpcService;
import org.minqing.edge.audit.PersonalDataReads;
import org.minqing.server.operations.LogCheckHealth;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The audit role: the read-only audit API straight from the event log, and the Merkle log's checkpoints. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "minqing.roles.audit", matchIfMissing = true)
@Import({AuditGrpcService.class, PersonalDataReads.class, MerkleLogConfiguration.class})
public class AuditRole {

    /** Health component {@code log}: the background walk of the stored log against the Merkle log's record. */
    @Bean
    LogCheckHealth logHealthIndicator(LogCheck check, MeterRegistry meters) {
        return new LogCheckHealth(check, meters);
    }
}
