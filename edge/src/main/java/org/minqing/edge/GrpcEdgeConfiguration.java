package org.minqing.edge;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;

/** The interceptors every Minqing gRPC service runs behind. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyProperties.class)
public class GrpcEdgeConfiguration {

    @Bean
    @GlobalServerInterceptor
    @Order(10)
    public ApiKeyAuthenticationInterceptor apiKeyAuthenticationInterceptor(ApiKeyProperties properties) {
        return new ApiKeyAuthenticationInterceptor(properties);
    }

    @Bean
    @GlobalServerInterceptor
    @Order(20)
    public CorrelationIdInterceptor correlationIdInterceptor() {
        return new CorrelationIdInterceptor();
    }
}
