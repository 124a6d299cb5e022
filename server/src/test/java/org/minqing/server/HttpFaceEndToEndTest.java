package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.api.v1.AuditedEvent;
import org.minqing.api.v1.Case;
import org.minqing.api.v1.CaseChange;
import org.minqing.api.v1.CaseState;
import org.minqing.api.v1.GetCaseRequest;
import org.minqing.api.v1.TimelineEntry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The API over HTTP and JSON (the Connect protocol, docs/http.md) on the server's HTTP port, over
 * real sockets: a case's steps and reads, the binary form, server streams (a replay, and a live
 * watch that sees a step as it happens), and every refusal with its HTTP status and Connect error —
 * the gRPC API's own codes and details — with nothing stored by a refused call.
 */
class HttpFaceEndToEndTest {

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static JdbcTemplate jdbc;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final JsonFormat.Parser JSON = JsonFormat.parser().usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder().add(org.minqing.api.v1.CaseReported.getDescriptor()).build());

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir, "minqing.http.max-stream-duration=PT4S");
        jdbc = server.context.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI uri(String method) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + "/minqing.v1." + method);
    }

    static HttpResponse<String> post(String key, String method, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(method)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> json(String key, String method, String body) throws Exception {
        return post(key, method, "application/json", body);
    }

    /** The answer of a call that succeeded, read as a {@code type}. */
    static <M extends Message> M answer(HttpResponse<String> response, M type) throws Exception {
        assertThat(response.statusCode()).as("HTTP status of %s: %s", response.uri(), response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        Message.Builder builder = type.newBuilderForType();
        JSON.merge(response.body(), builder);
        @SuppressWarnings("unchecked")
        M message = (M) builder.build();
        return message;
    }

    static Struct error(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        Struct.Builder error = Struct.newBuilder();
        JsonFormat.parser().merge(response.body(), error);
        return error.build();
    }

    static String reportJson(String requestId) {
        return "{\"request_id\":\"" + requestId + "\",\"channel\":\"CHANNEL_WECHAT\",\"partner_reference\":\"WX-" + requestId
                + "\",\"citizen\":{\"name\":\"李雷\",\"phone\":\"13900000000\"},\"category\":\"water\","
                + "\"urgency\":\"URGENCY_NORMAL\",\"title\":\"No water\",\"location\":{\"district\":\"chaoyang\","
                + "\"grid\":\"cy-017\",\"address\":\"某街 5号楼\"}}";
    }

    static String newCase() throws Exception {
        return answer(json(MinqingClient.DEV_KEY, "CaseCommandService/ReportCase", reportJson(UUID.randomUUID().toString())),
                CaseChange.getDefaultInstance()).getCase();
    }

    static long storedEvents() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
    }

    @Test
    void aCaseIsReportedAcceptedAndReadBackInJsonAndARetryGetsTheFirstAnswer() throws Exception {
        String requestId = UUID.randomUUID().toString();
        CaseChange reported = answer(json(MinqingClient.DEV_KEY, "CaseCommandService/ReportCase", reportJson(requestId)),
                CaseChange.getDefaultInstance());
        assertThat(reported.getCase()).startsWith("cases/");
        assertThat(reported.getRevision()).isEqualTo(1);
        assertThat(reported.getEventTypesList()).containsExactly("minqing.v1.CaseReported");

        String accept = "{\"name\":\"" + reported.getCase() + "\",\"request_id\":\"" + requestId + "-accept\"}";
        CaseChange accepted = answer(json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase", accept), CaseChange.getDefaultInstance());
        assertThat(accepted.getRevision()).isEqualTo(2);
        long stored = storedEvents();
        CaseChange retried = answer(json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase", accept), CaseChange.getDefaultInstance());
        assertThat(retried).as("a retry with the same request id").isEqualTo(accepted);
        assertThat(storedEvents()).isEqualTo(stored);

        Case read = readModel(reported.getCase(), 2);
        assertThat(read.getState()).isEqualTo(CaseState.CASE_STATE_ACCEPTED);
        assertThat(read.getTitle()).isEqualTo("No water");
        assertThat(read.getLocation().getDistrict()).isEqualTo("chaoyang");
    }

    /** The case's read model (eventually consistent with the log) once it has {@code revision}. */
    static Case readModel(String name, long revision) {
        return await("read model of " + name + " at revision " + revision).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    HttpResponse<String> response = json(MinqingClient.DEV_KEY, "CaseQueryService/GetCase", "{\"name\":\"" + name + "\"}");
                    return response.statusCode() == 200 ? answer(response, Case.getDefaultInstance()) : null;
                }, read -> read != null && read.getRevision() >= revision);
    }

    @Test
    void theHealthServiceAnswersWithoutAKey() throws Exception {
        HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/grpc.health.v1.Health/Check")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"readiness\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.body()).matches("\\{\"status\":\"(SERVING|NOT_SERVING)\"}");
    }

    @Test
    void theBinaryFormIsTheGrpcMessage() throws Exception {
        String name = newCase();
        readModel(name, 1);
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("CaseQueryService/GetCase"))
                .header("Content-Type", "application/proto").header("x-api-key", MinqingClient.DEV_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(GetCaseRequest.newBuilder().setName(name).build().toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/proto");
        assertThat(Case.parseFrom(response.body()).getName()).isEqualTo(name);
    }

    @Test
    void refusalsCarryTheGrpcCodeAndDetailsAsConnectErrorsAndStoreNothing() throws Exception {
        String name = newCase();
        long before = storedEvents();

        HttpResponse<String> anonymous = json(null, "CaseCommandService/AcceptCase", "{\"name\":\"" + name + "\",\"request_id\":\"a1\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(error(anonymous).getFieldsOrThrow("code").getStringValue()).isEqualTo("unauthenticated");

        HttpResponse<String> auditor = json(MinqingClient.AUDITOR_KEY, "CaseCommandService/AcceptCase",
                "{\"name\":\"" + name + "\",\"request_id\":\"a2\"}");
        assertThat(auditor.statusCode()).isEqualTo(403);
        Struct denied = error(auditor);
        assertThat(denied.getFieldsOrThrow("code").getStringValue()).isEqualTo("permission_denied");
        Struct info = detail(denied, "google.rpc.ErrorInfo");
        assertThat(info.getFieldsOrThrow("reason").getStringValue()).isEqualTo("ROLE_NOT_ALLOWED");

        HttpResponse<String> incomplete = json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase", "{}");
        assertThat(incomplete.statusCode()).isEqualTo(400);
        Struct invalid = error(incomplete);
        assertThat(invalid.getFieldsOrThrow("code").getStringValue()).isEqualTo("invalid_argument");
        assertThat(detail(invalid, "google.rpc.BadRequest").getFieldsOrThrow("fieldViolations").getListValue().getValuesList())
                .extracting(v -> v.getStructValue().getFieldsOrThrow("field").getStringValue())
                .containsExactlyInAnyOrder("name", "request_id");

        assertThat(storedEvents()).as("events stored by the refused calls").isEqualTo(before);

        HttpResponse<String> accepted = json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase", "{\"name\":\"" + name + "\",\"request_id\":\"" + UUID.randomUUID() + "\"}");
        assertThat(accepted.statusCode()).isEqualTo(200);
        before = storedEvents();
        HttpResponse<String> twice = json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase", "{\"name\":\"" + name + "\",\"request_id\":\"" + UUID.randomUUID() + "\"}");
        assertThat(twice.statusCode()).isEqualTo(400);
        Struct precondition = error(twice);
        assertThat(precondition.getFieldsOrThrow("code").getStringValue()).isEqualTo("failed_precondition");
        assertThat(precondition.getFieldsOrThrow("message").getStringValue()).contains("ACCEPTED");
        assertThat(detail(precondition, "google.rpc.PreconditionFailure").getFieldsOrThrow("violations").getListValue().getValuesCount()).isPositive();

        HttpResponse<String> missing = json(MinqingClient.DEV_KEY, "CaseQueryService/GetCase",
                "{\"name\":\"cases/00000000-0000-0000-0000-000000000000\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(missing).getFieldsOrThrow("code").getStringValue()).isEqualTo("not_found");

        assertThat(storedEvents()).as("events stored by the refused calls").isEqualTo(before);
    }

    @Test
    void requestsTheProtocolCannotTakeAreRefusedBeforeAnyCall() throws Exception {
        String accept = "{\"name\":\"" + newCase() + "\",\"request_id\":\"" + UUID.randomUUID() + "\"";
        long before = storedEvents();

        HttpResponse<String> unknownField = json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase", accept + ",\"nmae\":1}");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(error(unknownField).getFieldsOrThrow("message").getStringValue()).contains("nmae", "minqing.v1.AcceptCaseRequest");

        HttpResponse<String> truncated = json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase", accept);
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(error(truncated).getFieldsOrThrow("code").getStringValue()).isEqualTo("invalid_argument");

        HttpResponse<String> text = post(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase", "text/plain", accept + "}");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(error(text).getFieldsOrThrow("message").getStringValue()).contains("application/json");

        HttpResponse<String> noSuchMethod = json(MinqingClient.DEV_KEY, "CaseCommandService/ShredCase", "{}");
        assertThat(noSuchMethod.statusCode()).isEqualTo(404);
        assertThat(error(noSuchMethod).getFieldsOrThrow("code").getStringValue()).isEqualTo("unimplemented");

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("CaseQueryService/GetCase")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");

        HttpResponse<String> huge = json(null, "CaseCommandService/ReportCase", "{\"title\":\"" + "x".repeat(5 << 20) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(error(huge).getFieldsOrThrow("code").getStringValue()).isEqualTo("resource_exhausted");

        HttpResponse<String> badTimeout = http.send(HttpRequest.newBuilder(uri("CaseQueryService/GetCase"))
                .header("Content-Type", "application/json").header("Connect-Timeout-Ms", "soon")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badTimeout.statusCode()).isEqualTo(400);
        assertThat(error(badTimeout).getFieldsOrThrow("message").getStringValue()).contains("Connect-Timeout-Ms");

        assertThat(storedEvents()).as("events stored by the refused requests").isEqualTo(before);
    }

    @Test
    void aReplayIsAServerStreamOfEnvelopesEndedByAnEmptyEndOfStream() throws Exception {
        String name = newCase();
        answer(json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase",
                "{\"name\":\"" + name + "\",\"request_id\":\"" + UUID.randomUUID() + "\"}"), CaseChange.getDefaultInstance());

        HttpResponse<InputStream> response = stream(MinqingClient.AUDITOR_KEY, "AuditService/ReplayCase", "{\"name\":\"" + name + "\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/connect+json");
        List<AuditedEvent> events = new ArrayList<>();
        Struct end;
        try (DataInputStream in = new DataInputStream(response.body())) {
            while (true) {
                Envelope envelope = Envelope.read(in);
                if (envelope.endOfStream()) {
                    end = envelope.struct();
                    break;
                }
                AuditedEvent.Builder event = AuditedEvent.newBuilder();
                JSON.merge(envelope.text(), event);
                events.add(event.build());
            }
        }
        assertThat(end.getFieldsMap()).as("end of stream").doesNotContainKey("error");
        assertThat(events).extracting(AuditedEvent::getSequence).containsExactly(0L, 1L);
        assertThat(events.get(0).getEvent().getTypeUrl()).endsWith("minqing.v1.CaseReported");
    }

    @Test
    void aStreamThatIsRefusedSaysSoInItsEndOfStream() throws Exception {
        HttpResponse<InputStream> response = stream(null, "AuditService/ReplayCase", "{\"name\":\"cases/x\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        try (DataInputStream in = new DataInputStream(response.body())) {
            Envelope end = Envelope.read(in);
            assertThat(end.endOfStream()).isTrue();
            assertThat(end.struct().getFieldsOrThrow("error").getStructValue().getFieldsOrThrow("code").getStringValue())
                    .isEqualTo("unauthenticated");
        }
    }

    @Test
    void aWatchSeesAStepAsItHappens() throws Exception {
        String name = newCase();
        readModel(name, 1); // a watch of a case the read models do not have yet is NOT_FOUND
        HttpResponse<InputStream> response = stream(MinqingClient.DEV_KEY, "CaseQueryService/WatchTimelineEntries",
                "{\"parent\":\"" + name + "\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (DataInputStream in = new DataInputStream(response.body())) {
                while (true) {
                    Envelope envelope = Envelope.read(in);
                    if (envelope.endOfStream()) {
                        received.add(envelope.struct());
                        return;
                    }
                    TimelineEntry.Builder entry = TimelineEntry.newBuilder();
                    JSON.merge(envelope.text(), entry);
                    received.add(entry.build());
                }
            } catch (IOException e) {
                received.add(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(received.poll(30, TimeUnit.SECONDS)).as("the report's entry")
                .isInstanceOfSatisfying(TimelineEntry.class, e -> assertThat(e.getEventType()).isEqualTo("minqing.v1.CaseReported"));

        answer(json(MinqingClient.DEV_KEY, "CaseCommandService/AcceptCase",
                "{\"name\":\"" + name + "\",\"request_id\":\"" + UUID.randomUUID() + "\"}"), CaseChange.getDefaultInstance());

        assertThat(received.poll(30, TimeUnit.SECONDS)).as("the acceptance's entry, while the stream stays open")
                .isInstanceOfSatisfying(TimelineEntry.class, e -> assertThat(e.getEventType()).isEqualTo("minqing.v1.CaseAccepted"));
        response.body().close();
    }

    @Test
    void aStreamEndsAtItsMaximumDurationSayingToOpenItAgain() throws Exception {
        String name = newCase();
        readModel(name, 1); // a watch of a case the read models do not have yet is NOT_FOUND
        HttpResponse<InputStream> response = stream(MinqingClient.DEV_KEY, "CaseQueryService/WatchTimelineEntries",
                "{\"parent\":\"" + name + "\"}");
        long started = System.nanoTime();
        try (DataInputStream in = new DataInputStream(response.body())) {
            Envelope envelope = Envelope.read(in);
            while (!envelope.endOfStream()) {
                envelope = Envelope.read(in);
            }
            Struct error = envelope.struct().getFieldsOrThrow("error").getStructValue();
            assertThat(error.getFieldsOrThrow("code").getStringValue()).isEqualTo("unavailable");
            assertThat(error.getFieldsOrThrow("message").getStringValue()).contains("minqing.http.max-stream-duration");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time to the end of the stream").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    static HttpResponse<InputStream> stream(String key, String method, String json) throws Exception {
        byte[] message = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(method)).header("Content-Type", "application/connect+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** One message of a Connect stream: flags (2: end of stream), then its bytes. */
    record Envelope(int flags, byte[] bytes) {
        static Envelope read(DataInputStream in) throws IOException {
            int flags = in.read();
            if (flags < 0) {
                throw new EOFException("the stream ended without an end-of-stream message");
            }
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return new Envelope(flags, bytes);
        }

        boolean endOfStream() {
            return (flags & 2) != 0;
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Struct struct() throws IOException {
            Struct.Builder struct = Struct.newBuilder();
            JsonFormat.parser().merge(text(), struct);
            return struct.build();
        }
    }

    static Struct detail(Struct error, String type) {
        return error.getFieldsOrThrow("details").getListValue().getValuesList().stream().map(Value::getStructValue)
                .filter(d -> d.getFieldsOrThrow("type").getStringValue().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " detail in " + error))
                .getFieldsOrThrow("debug").getStructValue();
    }
}
