package org.minqing.edge;

import io.grpc.BindableService;
import org.springframework.context.ApplicationContext;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.service.DefaultGrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceSpec;

/**
 * Spring gRPC's service configurer (which binds the global interceptors), with the API's own
 * services made to parse their requests where a malformed one can be answered
 * ({@link UnparseableRequests}) before the interceptors are bound over them.
 */
class MinqingServiceConfigurer extends DefaultGrpcServiceConfigurer {

    private final UnparseableRequests unparseable;

    MinqingServiceConfigurer(ApplicationContext context, UnparseableRequests unparseable) {
        super(context);
        this.unparseable = unparseable;
    }

    @Override
    public io.grpc.ServerServiceDefinition configure(GrpcServiceSpec spec, GrpcServerFactory factory) {
        io.grpc.ServerServiceDefinition service = spec.service().bindService();
        if (!service.getServiceDescriptor().getName().startsWith("minqing.")) {
            return super.configure(spec, factory);
        }
        BindableService guarded = () -> unparseable.guard(service);
        return super.configure(new GrpcServiceSpec(guarded, spec.serviceInfo()), factory);
    }
}
