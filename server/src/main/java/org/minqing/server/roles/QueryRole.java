package org.minqing.server.roles;

import org.minqing.edge.audit.PersonalDataReads;
import org.minqing.edge.categories.CategoriesConfiguration;
import org.minqing.edge.queries.CaseQueryGrpcService;
import org.minqing.edge.queries.SupervisionGrpcService;
import org.minqing.edge.queries.WatchConfiguration;
import org.minqing.query.QueryConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The query role: the case and supervision APIs over the read models, with their live streams, and the category register. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "minqing.roles.query", matchIfMissing = true)
@Import({QueryConfiguration.class, WatchConfiguration.class, CaseQueryGrpcService.class, SupervisionGrpcService.class,
        PersonalDataReads.class, CategoriesConfiguration.class})
public class QueryRole {
}
