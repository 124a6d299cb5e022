package org.minqing.edge.open311;

import java.time.Clock;

import io.grpc.ManagedChannel;
import org.minqing.edge.categories.CategoryRegister;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Open311 GeoReport v2 gateway at {@code /open311/v2/} on the HTTP port (docs/open311.md). */
@Configuration(proxyBeanMethods = false)
public class Open311Configuration {

    /** Only in a process with the register (the command or query role). */
    @Bean
    ServletRegistrationBean<Open311Servlet> open311Servlet(ObjectProvider<CategoryRegister> register,
                                                           @Qualifier("httpFaceChannel") ManagedChannel channel,
                                                           ObjectProvider<Clock> clock) {
        CategoryRegister categories = register.getIfAvailable();
        ServletRegistrationBean<Open311Servlet> registration = new ServletRegistrationBean<>(
                new Open311Servlet(categories, channel, clock.getIfAvailable(Clock::systemUTC)), "/open311/v2/*");
        registration.setName("open311");
        registration.setEnabled(categories != null);
        return registration;
    }
}
