package org.minqing.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.rpc.ErrorInfo;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.minqing.api.v1.AuditServiceGrpc;
import org.minqing.api.v1.VerifyCaseRequest;

/**
 * Authentication then authorization, as the server chains them, in front of a service that
 * answers UNIMPLEMENTED (a call that gets that far was let through), over a loopback socket.
 */
class EdgeInterceptorsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aKeyWorksUntilItExpires() throws Exception {
        start(new SecurityProperties.ApiKey(AuthenticationInterceptor.sha256("k-live"), "auditor-1", "auditor",
                        "audit-office", NOW.plusSeconds(1)),
                new SecurityProperties.ApiKey(AuthenticationInterceptor.sha256("k-old"), "auditor-2", "auditor",
                        "audit-office", NOW));
        assertThat(verify("k-live").getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        StatusRuntimeException expired = verify("k-old");
        assertThat(expired.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(expired.getStatus().getDescription()).contains("expired at " + NOW);
        assertThat(verify("k-unknown").getStatus().getDescription()).isEqualTo("unknown API key");
        assertThat(verify(null).getStatus().getDescription()).isEqualTo("missing x-api-key header (or client certificate)");
    }

    @Test
    void aRoleTheMethodDoesNotNameIsRefusedWithTheReason() throws Exception {
        start(new SecurityProperties.ApiKey(AuthenticationInterceptor.sha256("k-dispatcher"), "operator-7",
                "dispatcher", "12345-center", null));
        StatusRuntimeException refused = verify("k-dispatcher");
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription())
                .isEqualTo("role dispatcher may not call minqing.v1.AuditService/VerifyCase; it is for supervisor, auditor");
        ErrorInfo info = StatusProto.fromThrowable(refused).getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo(Refusals.ROLE_NOT_ALLOWED);
        assertThat(info.getDomain()).isEqualTo(Refusals.DOMAIN);
        assertThat(info.getMetadataMap()).containsEntry("role", "dispatcher").containsEntry("organization", "12345-center")
                .containsEntry("rpc", "minqing.v1.AuditService/VerifyCase").containsEntry("allowed_roles", "supervisor,auditor");
    }

    private void start(SecurityProperties.ApiKey... keys) throws Exception {
        var authentication = new AuthenticationInterceptor(new SecurityProperties(List.of(keys), List.of(), null, null),
                Clock.fixed(NOW, ZoneOffset.UTC));
        // ServerInterceptors.intercept runs the last one first: authentication, then authorization
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(new AuditServiceGrpc.AuditServiceImplBase() { },
                        new AuthorizationInterceptor(), authentication))
                .build().start();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
                .build();
    }

    private StatusRuntimeException verify(String key) {
        Metadata headers = new Metadata();
        if (key != null) {
            headers.put(AuthenticationInterceptor.API_KEY, key);
        }
        return catchThrowableOfType(StatusRuntimeException.class, () -> AuditServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .verifyCase(VerifyCaseRequest.newBuilder().setName("cases/c1").build()));
    }
}
