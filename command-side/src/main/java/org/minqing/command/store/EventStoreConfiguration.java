package org.minqing.command.store;

import java.util.List;

import javax.sql.DataSource;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.minqing.api.v1.EventsProto;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * What every event store engine shares: protobuf-JSON event payloads and JSON everywhere else
 * (never XStream), the Spring transaction manager, and the projections' token store in the
 * application's database. The engine itself is chosen by {@code minqing.event-store.engine}.
 *
 * <p>Every piece is declared here rather than left to Axon's auto-configuration, so that the
 * tracking tokens and the read models provably share one database and one Spring transaction
 * manager: a projection's token and its read-model rows commit together.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventStoreProperties.class)
public class EventStoreConfiguration {

    /**
     * Tokens, metadata and anything that is not an event payload: JSON with sorted keys. Axon's
     * replay token names its nested tokens' classes; Jackson 3 refuses class names by default, so
     * Axon's and Minqing's own types (only those: e.g. the KurrentDB position token) are allowed —
     * a processor could not be reset otherwise.
     */
    @Bean
    @Primary
    public Serializer serializer() {
        return Jackson3Serializer.builder()
                .jsonMapperBuilderCustomizer(mapper -> mapper
                        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                        .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                                .allowIfSubType("org.axonframework.")
                                .allowIfSubType("org.minqing.")
                                .build()))
                .build();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer(Serializer serializer) {
        return new ProtobufJsonSerializer(serializer, List.of(EventsProto.getDescriptor()));
    }

    /** Replaces Axon's auto-configured store (same bean name): see {@link PromptEventStore}. */
    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    public PromptEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration axon,
                                       EventStoreProperties properties,
                                       @Qualifier("eventSerializer") Serializer eventSerializer,
                                       JdbcTemplate jdbc) {
        return new PromptEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class)), properties.pollInterval(), eventSerializer,
                caseId -> jdbc.queryForObject("SELECT MAX(sequence_number) FROM merkle_leaf WHERE case_id = ?",
                        Long.class, caseId));
    }

    /**
     * A read model never skips an event. Axon's default logs an event handler's exception and moves
     * the token past the event, so one transient failure (a lock timeout, the database closing
     * under a stopping process) left a timeline short for good. Propagated, the failure rolls back
     * the batch — rows and token together — and the processor retries it after a pause.
     */
    @Bean
    public ConfigurerModule eventHandlersNeverSkip() {
        return configurer -> configurer.eventProcessing(processing ->
                processing.registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance()));
    }

    @Bean
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    /**
     * The connection of the Spring transaction in progress, which every Axon component runs in.
     * Not wrapped in Axon's {@code UnitOfWorkAwareConnectionProviderWrapper}: it rolls the
     * connection back when the unit of work that first asked for it rolls back, and that may be one
     * command's unit nested in a batch that shares the transaction ({@code BatchingCommandBus}).
     */
    @Bean
    public ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    @Bean
    public TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("time_stamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }
}
