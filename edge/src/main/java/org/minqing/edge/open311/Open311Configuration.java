package org.minqing.edge.open311;

import java.time.Clock;

import io.grpc.ManagedChannel;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Open311 GeoReport v2 gateway at {@code /open311/v2/} on the HTTP port (docs/open311.md). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CategoryProperties.class)
public class Open311Configuration {

    @Bean
    ServletRegistrationBean<Open311Servlet> open311Servlet(CategoryProperties register,
                                                           @Qualifier("httpFaceChannel") ManagedChannel channel, Clock clock) {
        ServletRegistrationBean<Open311Servlet> registration = new ServletRegistrationBean<>(
                new Open311Servlet(register, channel, clock), "/open311/v2/*");
        registration.setName("open311");
        return registration;
    }
}
