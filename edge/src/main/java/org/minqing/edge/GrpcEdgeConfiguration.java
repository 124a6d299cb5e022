package org.minqing.edge;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import io.grpc.netty.NettyServerBuilder;
import org.minqing.edge.http.HttpFaceConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.grpc.server.service.DefaultGrpcServiceConfigurer;

/**
 * What every Minqing gRPC service runs behind: authentication, authorization and correlation
 * interceptors, the parsing of request bytes where a malformed one can be answered, and the limits
 * on one connection; and the same services over HTTP ({@link HttpFaceConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@Import(HttpFaceConfiguration.class)
@EnableConfigurationProperties({SecurityProperties.class, ConnectionProperties.class})
public class GrpcEdgeConfiguration {

    /** What a connection may hold, beyond Spring gRPC's keep-alive properties. */
    @Bean
    public ServerBuilderCustomizer<NettyServerBuilder> connectionLimits(ConnectionProperties limits) {
        return builder -> builder
                .handshakeTimeout(limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxConcurrentCallsPerConnection(limits.maxCallsPerConnection());
    }

    /** Binds the interceptors below; malformed request bytes get INVALID_ARGUMENT, not UNKNOWN. */
    @Bean
    public DefaultGrpcServiceConfigurer grpcServiceConfigurer(ApplicationContext context) {
        return new MinqingServiceConfigurer(context, new UnparseableRequests(Clock.systemUTC()), new RequestLog());
    }

    @Bean
    @GlobalServerInterceptor
    @Order(10)
    public AuthenticationInterceptor apiKeyAuthenticationInterceptor(SecurityProperties properties) {
        return new AuthenticationInterceptor(properties, Clock.systemUTC());
    }

    @Bean
    @GlobalServerInterceptor
    @Order(15)
    public AuthorizationInterceptor authorizationInterceptor() {
        return new AuthorizationInterceptor();
    }

    @Bean
    @GlobalServerInterceptor
    @Order(20)
    public CorrelationIdInterceptor correlationIdInterceptor() {
        return new CorrelationIdInterceptor();
    }
}
