package org.minqing.projections;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The projections' settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectionProperties.class)
public class ProjectionsConfiguration {
}
