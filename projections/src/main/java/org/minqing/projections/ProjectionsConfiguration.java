package org.minqing.projections;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.minqing.privacy.PrivacyConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The projections' settings, and the key store that opens the personal data they show. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectionProperties.class)
@Import(PrivacyConfiguration.class)
public class ProjectionsConfiguration {
}
