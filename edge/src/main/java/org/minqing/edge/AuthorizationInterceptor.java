package org.minqing.edge;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.google.protobuf.Descriptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import org.minqing.api.v1.Role;
import org.minqing.api.v1.Roles;

/**
 * Lets a caller through only to the methods its role may call, as each method's
 * {@code (minqing.v1.access)} option in the {@code .proto} files says: the contract is the one
 * place the table lives. A method without the option is refused to everyone, so a new method is
 * closed until someone decides who may call it. Which cases a permitted caller may touch is
 * decided further in: by the case itself for commands, by the query services for reads.
 */
public class AuthorizationInterceptor implements ServerInterceptor {

    private final Map<String, List<Role>> allowedByMethod = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        if (AuthenticationInterceptor.open(method)) {
            return next.startCall(call, headers);
        }
        Caller caller = Caller.current();
        List<Role> allowed = allowedByMethod.computeIfAbsent(method.getFullMethodName(), name -> allowed(method));
        if (Roles.parse(caller.role()).filter(allowed::contains).isEmpty()) {
            String roles = allowed.stream().map(Roles::name).collect(Collectors.joining(","));
            StatusRuntimeException refused = Refusals.permissionDenied(Refusals.ROLE_NOT_ALLOWED,
                    "role " + caller.role() + " may not call " + method.getFullMethodName()
                            + (allowed.isEmpty() ? "" : "; it is for " + roles.replace(",", ", ")),
                    caller, method.getFullMethodName(), Map.of("allowed_roles", roles));
            call.close(refused.getStatus(), refused.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        return next.startCall(call, headers);
    }

    /** The roles the method's option names; none for a method that is not from a .proto file. */
    static List<Role> allowed(MethodDescriptor<?, ?> method) {
        if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier) {
            Descriptors.MethodDescriptor descriptor = supplier.getMethodDescriptor();
            return Roles.allowed(descriptor);
        }
        return List.of();
    }
}
