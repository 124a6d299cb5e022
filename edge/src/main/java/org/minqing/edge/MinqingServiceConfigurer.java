package org.minqing.edge;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import org.springframework.context.ApplicationContext;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.service.DefaultGrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceSpec;

/**
 * Spring gRPC's service configurer (which binds the global interceptors), with the API's own
 * services made to parse their requests where a malformed one can be answered
 * ({@link UnparseableRequests}) before the interceptors are bound over them, and logged
 * ({@link RequestLog}) inside that, where the requests are messages (the case they name) and the
 * caller and correlation id are known.
 */
class MinqingServiceConfigurer extends DefaultGrpcServiceConfigurer {

    private final UnparseableRequests unparseable;
    private final RequestLog requestLog;

    MinqingServiceConfigurer(ApplicationContext context, UnparseableRequests unparseable, RequestLog requestLog) {
        super(context);
        this.unparseable = unparseable;
        this.requestLog = requestLog;
    }

    @Override
    public io.grpc.ServerServiceDefinition configure(GrpcServiceSpec spec, GrpcServerFactory factory) {
        io.grpc.ServerServiceDefinition service = spec.service().bindService();
        if (!service.getServiceDescriptor().getName().startsWith("minqing.")) {
            return super.configure(spec, factory);
        }
        BindableService guarded = () -> unparseable.guard(ServerInterceptors.intercept(service, requestLog));
        return super.configure(new GrpcServiceSpec(guarded, spec.serviceInfo()), factory);
    }
}
