package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.minqing.server.MinqingClient.requestId;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.AcknowledgeCaseRequest;
import org.minqing.api.v1.CaseCommandServiceGrpc;
import org.minqing.api.v1.CaseQueryServiceGrpc;
import org.minqing.api.v1.DispatchCaseRequest;
import org.minqing.api.v1.ListTimelineEntriesRequest;
import org.minqing.api.v1.TimelineEntry;
import org.minqing.kurrentdb.testserver.TestCertificates;
import org.minqing.server.audit.AuditCli;

/**
 * The server on TLS (a Spring Boot SSL bundle, certificates from a test CA), with client
 * certificates as a second way to identify a caller, and the auditor's command line speaking TLS.
 */
class TlsEndToEndTest {

    private static final String DESK = "CN=water-bureau-desk,O=Water Bureau";

    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static Path deskStore;
    static Path strangerStore;
    static MinqingServer server;

    @BeforeAll
    static void start() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        certificates = TestCertificates.create(pki);
        Path serverStore = certificates.issue("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
        deskStore = certificates.issue("desk", DESK);
        strangerStore = certificates.issue("stranger", "CN=stranger");
        String bundle = "spring.ssl.bundle.jks.minqing.";
        server = MinqingServer.start(dir.resolve("data"),
                bundle + "keystore.location=file:" + serverStore, bundle + "keystore.password=" + TestCertificates.PASSWORD,
                bundle + "keystore.type=PKCS12",
                bundle + "truststore.location=file:" + certificates.trustStore(),
                bundle + "truststore.password=" + TestCertificates.PASSWORD, bundle + "truststore.type=PKCS12",
                "spring.grpc.server.ssl.bundle=minqing", "spring.grpc.server.ssl.client-auth=optional",
                "minqing.security.client-certificates[0].subject=" + DESK,
                "minqing.security.client-certificates[0].principal=water-bureau-desk",
                "minqing.security.client-certificates[0].role=department",
                "minqing.security.client-certificates[0].organization=water-bureau");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPlaintextClientIsNotServed() throws Exception {
        ManagedChannel plaintext = Grpc.newChannelBuilderForAddress("localhost", server.port,
                InsecureChannelCredentials.create()).build();
        try {
            StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () ->
                    HealthGrpc.newBlockingStub(plaintext).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            plaintext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientCertificateIdentifiesTheDepartmentItWasIssuedFor() throws Exception {
        ManagedChannel withKey = channel(TlsChannelCredentials.newBuilder().trustManager(certificates.caPem().toFile()).build());
        ManagedChannel desk = channel(TlsChannelCredentials.newBuilder().trustManager(certificates.caPem().toFile())
                .keyManager(TestCertificates.keyManagers(deskStore)).build());
        ManagedChannel stranger = channel(TlsChannelCredentials.newBuilder().trustManager(certificates.caPem().toFile())
                .keyManager(TestCertificates.keyManagers(strangerStore)).build());
        try {
            var dispatcher = CaseCommandServiceGrpc.newBlockingStub(withKey).withInterceptors(key(MinqingClient.DEV_KEY))
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            String name = dispatcher.reportCase(CaseLifecycleEndToEndTest.report("TLS-" + requestId())).getCase();
            dispatcher.acceptCase(AcceptCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
            dispatcher.dispatchCase(DispatchCaseRequest.newBuilder().setName(name).setRequestId(requestId())
                    .setDepartment("water-bureau").build());

            CaseCommandServiceGrpc.newBlockingStub(desk).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .acknowledgeCase(AcknowledgeCaseRequest.newBuilder().setName(name).setRequestId(requestId()).build());
            StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class, () ->
                    CaseCommandServiceGrpc.newBlockingStub(stranger).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .acknowledgeCase(AcknowledgeCaseRequest.newBuilder().setName(name)
                                    .setRequestId(requestId()).build()));
            assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(unknown.getStatus().getDescription()).isEqualTo("unknown client certificate CN=stranger");

            var reader = CaseQueryServiceGrpc.newBlockingStub(withKey).withInterceptors(key(MinqingClient.DEV_KEY));
            List<TimelineEntry> timeline = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> reader.withDeadlineAfter(30, TimeUnit.SECONDS).listTimelineEntries(
                            ListTimelineEntriesRequest.newBuilder().setParent(name).build()).getTimelineEntriesList(),
                            entries -> entries.size() == 4);
            assertThat(timeline.get(3).getActor().getId()).isEqualTo("water-bureau-desk");
            assertThat(timeline.get(3).getActor().getOrganization()).isEqualTo("water-bureau");
        } finally {
            for (ManagedChannel channel : List.of(withKey, desk, stranger)) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theAuditorsCommandLineSpeaksTlsWithTheCaItIsGiven() throws Exception {
        ManagedChannel withKey = channel(TlsChannelCredentials.newBuilder().trustManager(certificates.caPem().toFile()).build());
        String caseId;
        try {
            caseId = CaseCommandServiceGrpc.newBlockingStub(withKey).withInterceptors(key(MinqingClient.DEV_KEY))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .reportCase(CaseLifecycleEndToEndTest.report("TLS-" + requestId())).getCase().substring("cases/".length());
        } finally {
            withKey.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        String target = "localhost:" + server.port;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int verified = new AuditCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8)).run("verify", "--case", caseId, "--target", target,
                "--ca", certificates.caPem().toString(), "--api-key", MinqingClient.AUDITOR_KEY);
        assertThat(verified).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("cases/" + caseId + ": intact, 1 events");

        int plaintext = new AuditCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8)).run("verify", "--case", caseId, "--target", target,
                "--api-key", MinqingClient.AUDITOR_KEY);
        assertThat(plaintext).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("UNAVAILABLE");
    }

    private static ManagedChannel channel(ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress("localhost", server.port, credentials).build();
    }

    private static io.grpc.ClientInterceptor key(String apiKey) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
