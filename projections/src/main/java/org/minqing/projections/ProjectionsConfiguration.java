package org.minqing.projections;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers the projections' settings when the projections role is on. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "minqing.roles.projections", matchIfMissing = true)
@EnableConfigurationProperties(ProjectionProperties.class)
public class ProjectionsConfiguration {
}
