package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.rpc.BadRequest;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AcceptCaseRequest;
import org.minqing.api.v1.GetCaseRequest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What a stranger or a broken client can send, over real sockets: bytes that are no request, and
 * connections that say nothing. Each gets a clear answer or is closed; the log gets one line at
 * most, and real clients are still served.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileClientsEndToEndTest {

    private static final String MAX_IDLE = "2s";

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static MinqingClient client;

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir, "spring.grpc.server.keep-alive.max-idle=" + MAX_IDLE);
        client = server.client(MinqingClient.DEV_KEY);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        server.close();
    }

    @Test
    void bytesThatAreNoRequestAreInvalidArgumentWithOneLogLineAndNoStackTrace(CapturedOutput output) {
        byte[] invalidUtf8 = {0x0A, 0x03, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD};   // name = three bytes no UTF-8 has
        byte[] truncated = {0x0A, 0x10, 'c', 'a', 's', 'e'};                         // name of 16 bytes, 4 sent
        ByteArrayOutputStream nested = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            nested.write(0x1B); // start group 3, never ended
        }
        int before = output.toString().length();
        for (byte[] garbage : List.of(invalidUtf8, truncated, nested.toByteArray())) {
            for (String method : List.of("minqing.v1.CaseQueryService/GetCase", "minqing.v1.CaseCommandService/AcceptCase")) {
                StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> rawCall(method, garbage));
                assertThat(refused.getStatus().getCode()).as(method).isEqualTo(Status.Code.INVALID_ARGUMENT);
                BadRequest badRequest = badRequest(refused);
                assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo("(request)");
                assertThat(badRequest.getFieldViolations(0).getDescription()).contains("is not a valid");
            }
        }
        String logged = output.toString().substring(before);
        assertThat(logged.lines().filter(line -> line.contains("unparseable request")).count()).as(logged)
                .isEqualTo(1);
        assertThat(logged).doesNotContain("\tat ", "Application error processing RPC");
        assertThat(client.queries.getCase(GetCaseRequest.newBuilder().setName(reported()).build()).getName())
                .as("a real request is still answered").startsWith("cases/");
    }

    @Test
    void aClientsMistakeLogsNoStackTrace(CapturedOutput output) {
        int before = output.toString().length();
        assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> client.commands.acceptCase(AcceptCaseRequest
                .newBuilder().setName("cases/nobody-reported-this").setRequestId(MinqingClient.requestId()).build()))
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> client.queries.getCase(
                GetCaseRequest.newBuilder().setName("cases/nobody-reported-this").build())).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> client.queries.getCase(
                GetCaseRequest.newBuilder().setName("not a name").build())).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        String logged = output.toString().substring(before);
        assertThat(logged).doesNotContain("\tat ", "Exception");
    }

    @Test
    void idleConnectionsAreClosedAfterTheLimitWhileRealClientsAreServed() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket socket = new Socket("127.0.0.1", server.port);
                OutputStream out = socket.getOutputStream();
                out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[] {0, 0, 0, 0x04, 0, 0, 0, 0, 0}); // an empty SETTINGS frame, then nothing
                out.flush();
                socket.setSoTimeout(1);
                idle.add(socket);
            }
            HealthCheckResponse health = HealthGrpc.newBlockingStub(client.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

            List<Socket> open = new ArrayList<>(idle);
            await("the server closing 300 idle connections").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        open.removeIf(HostileClientsEndToEndTest::closedByServer);
                        return open.isEmpty();
                    });
            assertThat(client.queries.getCase(GetCaseRequest.newBuilder().setName(reported()).build()).getName())
                    .as("a real client is still answered").startsWith("cases/");
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    /** Reads what the server sent (its SETTINGS, then GOAWAY): true once it closed the connection. */
    private static boolean closedByServer(Socket socket) {
        byte[] buffer = new byte[1024];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException nothingYet) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String reported() {
        String name = client.commands.reportCase(CaseLifecycleEndToEndTest.report("HL-" + MinqingClient.requestId()))
                .getCase();
        client.awaitRevision(name, 1);
        return name;
    }

    /** The bytes as the request message of {@code method}, with the dispatcher's key. */
    private static byte[] rawCall(String method, byte[] request) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), MinqingClient.DEV_KEY);
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(client.channel,
                MetadataUtils.newAttachHeadersInterceptor(headers)), raw, CallOptions.DEFAULT.withDeadlineAfter(30,
                TimeUnit.SECONDS), request);
    }

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
                throw new IllegalStateException(e);
            }
        }
    };

    private static BadRequest badRequest(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(d -> d.is(BadRequest.class)).findFirst()
                .map(d -> {
                    try {
                        return d.unpack(BadRequest.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException invalid) {
                        throw new IllegalStateException(invalid);
                    }
                }).orElseThrow();
    }
}
