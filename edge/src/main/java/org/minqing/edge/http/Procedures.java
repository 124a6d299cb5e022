package org.minqing.edge.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Descriptors;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorInfo;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import org.minqing.api.v1.CaseReported;

/**
 * The API's methods by their HTTP path ({@code /minqing.v1.CaseQueryService/GetCase}, the gRPC
 * path), read from the services this process serves, and the types a JSON answer may hold inside a
 * {@code google.protobuf.Any} (the stored events of a replay, the details of an error).
 */
final class Procedures {

    private final Map<String, Procedure> byPath;
    private final List<String> services;
    private final JsonFormat.TypeRegistry types;

    private Procedures(Map<String, Procedure> byPath, List<String> services, JsonFormat.TypeRegistry types) {
        this.byPath = byPath;
        this.services = services;
        this.types = types;
    }

    /**
     * The Minqing services among {@code definitions}, and the standard health service (so that a
     * page can tell whether the read models lag); reflection is not on the HTTP face.
     */
    static Procedures of(Collection<ServerServiceDefinition> definitions) {
        Map<String, Procedure> byPath = new LinkedHashMap<>();
        JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder()
                .add(CaseReported.getDescriptor()) // every event type: the file and what it imports
                .add(ErrorInfo.getDescriptor());   // google.rpc's error details
        List<String> services = new java.util.ArrayList<>();
        for (ServerServiceDefinition definition : definitions) {
            io.grpc.ServiceDescriptor service = definition.getServiceDescriptor();
            boolean served = service.getName().startsWith("minqing.") || service.getName().equals("grpc.health.v1.Health");
            if (!served || !(service.getSchemaDescriptor() instanceof ProtoServiceDescriptorSupplier schema)) {
                continue;
            }
            Descriptors.ServiceDescriptor proto = schema.getServiceDescriptor();
            services.add(service.getName());
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                Descriptors.MethodDescriptor protoMethod = proto.findMethodByName(method.getBareMethodName());
                types.add(protoMethod.getInputType()).add(protoMethod.getOutputType());
                byPath.put("/" + method.getFullMethodName(), new Procedure(method.toBuilder(BYTES, BYTES).build(),
                        protoMethod.getInputType(), protoMethod.getOutputType()));
            }
        }
        return new Procedures(Map.copyOf(byPath), List.copyOf(services), types.build());
    }

    /** The method at {@code path}, or null. */
    Procedure at(String path) {
        return byPath.get(path);
    }

    /** The full names of the services on the face, e.g. {@code minqing.v1.CaseQueryService}. */
    List<String> services() {
        return services;
    }

    JsonFormat.TypeRegistry types() {
        return types;
    }

    /** Messages passed through as their bytes: the HTTP face parses and prints them itself. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
}
