package org.minqing.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.AuditServiceGrpc;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.CaseQueryServiceGrpc;
import org.minqing.api.v1.Role;
import org.minqing.api.v1.SupervisionServiceGrpc;

/** The table lives in the .proto files: every method names its roles, and the edge reads them from there. */
class AuthorizationInterceptorTest {

    @Test
    void everyMethodOfTheApiNamesWhoMayCallIt() {
        Stream.of(CaseCommandServiceGrpc.getServiceDescriptor(), CaseQueryServiceGrpc.getServiceDescriptor(),
                        SupervisionServiceGrpc.getServiceDescriptor(), AuditServiceGrpc.getServiceDescriptor())
                .map(ServiceDescriptor::getMethods).flatMap(java.util.Collection::stream)
                .forEach(method -> assertThat(AuthorizationInterceptor.allowed(method))
                        .as(method.getFullMethodName()).isNotEmpty().doesNotContain(Role.ROLE_UNSPECIFIED));
    }

    @Test
    void theAuditServiceIsForAuditorsAndApprovalsForSupervisorsOnly() {
        assertThat(AuthorizationInterceptor.allowed(AuditServiceGrpc.getExportLogMethod()))
                .containsExactly(Role.ROLE_AUDITOR);
        assertThat(AuthorizationInterceptor.allowed(CaseCommandServiceGrpc.getApproveExtensionMethod()))
                .containsExactly(Role.ROLE_SUPERVISOR);
    }

    @Test
    void aMethodFromNoProtoFileAdmitsNobody() {
        MethodDescriptor<Object, Object> handWritten = MethodDescriptor.newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("minqing.v1.Hand/Written")
                .setRequestMarshaller(new NoMarshaller())
                .setResponseMarshaller(new NoMarshaller())
                .build();
        assertThat(AuthorizationInterceptor.allowed(handWritten)).isEmpty();
    }

    private static final class NoMarshaller implements MethodDescriptor.Marshaller<Object> {
        @Override
        public java.io.InputStream stream(Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object parse(java.io.InputStream stream) {
            throw new UnsupportedOperationException();
        }
    }
}
