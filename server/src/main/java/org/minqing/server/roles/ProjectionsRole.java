package org.minqing.server.roles;

import org.minqing.edge.webhooks.WebhookStates;
import org.minqing.edge.webhooks.WebhooksConfiguration;
import org.minqing.projections.ProjectionsConfiguration;
import org.minqing.projections.summary.CaseSummaryProjection;
import org.minqing.projections.summary.CaseVisitsProjection;
import org.minqing.projections.supervision.SupervisionProjection;
import org.minqing.projections.timeline.CaseTimelineProjection;
import org.minqing.server.operations.WebhooksEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The projections role: the event handlers that keep the read models, and the webhooks fed from the timeline. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "minqing.roles.projections", matchIfMissing = true)
@Import({ProjectionsConfiguration.class, CaseSummaryProjection.class, CaseVisitsProjection.class,
        CaseTimelineProjection.class, SupervisionProjection.class, WebhooksConfiguration.class})
public class ProjectionsRole {

    /** The webhooks' state for the operator, on the management port. */
    @Bean
    WebhooksEndpoint webhooksEndpoint(WebhookStates states) {
        return new WebhooksEndpoint(states);
    }
}
