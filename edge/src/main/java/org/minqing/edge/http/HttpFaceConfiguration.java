package org.minqing.edge.http;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.minqing.edge.open311.Open311Configuration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The HTTP face ({@link ConnectServlet}) on the application's HTTP port ({@code server.port}), over
 * the in-process gRPC server that Spring gRPC runs beside the network one when
 * {@code spring.grpc.server.inprocess.name} is set: same services, same interceptors. The Open311
 * gateway rides on the same channel.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("spring.grpc.server.inprocess.name")
@EnableConfigurationProperties(HttpProperties.class)
@Import(Open311Configuration.class)
public class HttpFaceConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel httpFaceChannel(GrpcServerProperties grpc) {
        return InProcessChannelBuilder.forName(grpc.getInprocess().getName()).build();
    }

    /** Mapped at each service's path, so nothing else on the port (Spring's error page) is the face's. */
    @Bean
    ServletRegistrationBean<ConnectServlet> connectServlet(ObjectProvider<BindableService> services,
                                                           @Qualifier("httpFaceChannel") ManagedChannel channel,
                                                           HttpProperties limits) {
        Procedures procedures = Procedures.of(services.orderedStream().map(BindableService::bindService).toList());
        ServletRegistrationBean<ConnectServlet> registration = new ServletRegistrationBean<>(
                new ConnectServlet(procedures, channel, limits.maxRequestSize().toBytes(), limits.maxStreamDuration()),
                procedures.services().stream().map(service -> "/" + service + "/*").toArray(String[]::new));
        registration.setName("connect");
        registration.setAsyncSupported(true);
        registration.setEnabled(!procedures.services().isEmpty()); // no mapping would mean "/*"
        return registration;
    }
}
