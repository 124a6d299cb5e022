package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's grpcurl walk-through as written, the way grpcurl does: the shell lines are read
 * from README.md, the services' descriptors come from the server's reflection service, and each
 * request is the README's JSON parsed with the proto3 JSON mapping. grpcurl itself cannot be
 * installed here; this keeps the walk-through from drifting away from the API.
 */
class ReadmeWalkthroughTest {

    /** {@code g() { grpcurl -plaintext -H "$K" -d "$2" localhost:9090 "minqing.v1.CaseCommandService/$1"; }} */
    private static final Pattern FUNCTION = Pattern.compile(
            "^(\\w+)\\(\\) \\{ grpcurl -plaintext -H \"\\$(\\w+)\" -d \"\\$2\" localhost:9090 \"([\\w.]+)/\\$1\"; }");
    private static final Pattern QUOTED_ASSIGNMENT = Pattern.compile("^(\\w+)='([^']*)'");
    private static final Pattern ASSIGNMENT = Pattern.compile("^(\\w+)=(\\S+)");
    private static final Pattern CALL = Pattern.compile("^(\\w+) (\\w+) +");

    @TempDir
    static Path dataDir;
    static MinqingServer server;
    static MinqingClient anonymous;

    private final Map<String, String> variables = new HashMap<>();
    private final Map<String, String[]> functions = new HashMap<>(); // name → {header variable, service}
    private final Map<String, String> placeholders = new LinkedHashMap<>(); // README's "cases/5f0c…" → the real name
    private final Map<String, List<String>> answers = new HashMap<>(); // method → JSON answers, in order
    private final List<com.google.protobuf.Descriptors.Descriptor> types = new ArrayList<>();
    private String reportedCase;
    private long revision;

    @BeforeAll
    static void start() {
        server = MinqingServer.start(dataDir);
        anonymous = server.client(null);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        anonymous.close();
        server.close();
    }

    @Test
    void theReadmeWalkThroughRunsAsWritten() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher blocks = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int calls = 0;
        while (blocks.find()) {
            calls += run(blocks.group(1));
        }

        assertThat(calls).as("grpcurl calls found in README.md").isGreaterThanOrEqualTo(25);
        assertThat(reportedCase).as("the walk-through reports a case").isNotNull();
        assertThat(answers.get("ReportCase").get(0)).contains("minqing.v1.CaseReported");
        assertThat(answers.get("GetCase").get(0)).contains("CASE_STATE_CLOSED").doesNotContain("王芳");
        assertThat(answers.get("GetCase").get(1)).as("CASE_VIEW_FULL for a dispatcher").contains("王芳");
        assertThat(answers.get("ListCases").get(0)).contains(reportedCase);
        assertThat(answers.get("ListTimelineEntries").get(0).split("\"eventType\"", -1)).hasSize((int) revision + 1);
        assertThat(answers.get("WatchTimelineEntries").get(0)).contains(reportedCase);
        assertThat(answers.get("GetCaseStateAsOf").get(0)).contains("CASE_STATE_DISPATCHED");
        assertThat(answers.get("VerifyCase").get(0)).contains("\"intact\": true");
    }

    /** Interprets one shell block: assignments, function definitions and calls; other lines are skipped. */
    private int run(String block) throws Exception {
        int calls = 0;
        int at = 0;
        while (at < block.length()) {
            int end = block.indexOf('\n', at);
            String line = block.substring(at, end < 0 ? block.length() : end);
            Matcher m;
            if ((m = FUNCTION.matcher(line)).find()) {
                functions.put(m.group(1), new String[] {m.group(2), m.group(3)});
            } else if ((m = QUOTED_ASSIGNMENT.matcher(line)).find()) {
                variables.put(m.group(1), m.group(2));
            } else if ((m = ASSIGNMENT.matcher(line)).find() && reportedCase != null) {
                // C=cases/5f0c…: the README's placeholder for the case the walk-through reported
                placeholders.put(m.group(2), reportedCase);
                variables.put(m.group(1), reportedCase);
            } else if ((m = CALL.matcher(line)).find() && functions.containsKey(m.group(1))) {
                StringBuilder json = new StringBuilder();
                int afterWord = shellWord(block, at + m.end(), json);
                call(functions.get(m.group(1)), m.group(2), json.toString());
                calls++;
                end = block.indexOf('\n', afterWord);
            }
            at = end < 0 ? block.length() : end + 1;
        }
        return calls;
    }

    /** Reads one shell word ('…' literal, "…" and $NAME expanded) into {@code word}; returns where it ends. */
    private int shellWord(String text, int at, StringBuilder word) {
        while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
            char c = text.charAt(at);
            if (c == '\'') {
                int close = text.indexOf('\'', at + 1);
                word.append(text, at + 1, close);
                at = close + 1;
            } else if (c == '$') {
                int name = at + 1;
                while (name < text.length() && Character.isLetterOrDigit(text.charAt(name))) {
                    name++;
                }
                word.append(variables.get(text.substring(at + 1, name)));
                at = name;
            } else {
                word.append(c);
                at++;
            }
        }
        return at;
    }

    private void call(String[] function, String method, String json) throws Exception {
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            json = json.replace(placeholder.getKey(), placeholder.getValue());
        }
        String header = variables.get(function[0]);
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(header.substring(0, header.indexOf(':')).strip(), Metadata.ASCII_STRING_MARSHALLER),
                header.substring(header.indexOf(':') + 1).strip());
        MethodDescriptor descriptor = reflect(function[1]).findMethodByName(method);
        assertThat(descriptor).as(function[1] + "/" + method + " exists").isNotNull();
        DynamicMessage.Builder request = DynamicMessage.newBuilder(descriptor.getInputType());
        JsonFormat.parser().merge(json, request);
        if (function[1].equals("minqing.v1.CaseQueryService") && reportedCase != null) {
            // grpcurl users type slower than projections run; the test waits for them explicitly.
            try (MinqingClient reader = server.client(MinqingClient.DEV_KEY)) {
                reader.awaitRevision(reportedCase, revision);
            }
        }
        var channel = ClientInterceptors.intercept(anonymous.channel,
                MetadataUtils.newAttachHeadersInterceptor(headers));
        io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod = io.grpc.MethodDescriptor
                .<DynamicMessage, DynamicMessage>newBuilder()
                .setType(descriptor.isServerStreaming() ? io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING
                        : io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(function[1], method))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(descriptor.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(descriptor.getOutputType())))
                .build();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(descriptor.isServerStreaming() ? 3 : 30,
                TimeUnit.SECONDS);
        DynamicMessage answer = null;
        try {
            if (descriptor.isServerStreaming()) {
                // grpcurl prints a live stream until interrupted: the first message is enough here.
                Iterator<DynamicMessage> stream = ClientCalls.blockingServerStreamingCall(channel, grpcMethod, options,
                        request.build());
                answer = stream.next();
            } else {
                answer = ClientCalls.blockingUnaryCall(channel, grpcMethod, options, request.build());
            }
        } catch (StatusRuntimeException e) {
            boolean quietStream = descriptor.isServerStreaming() && e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED;
            if (!quietStream) { // a stream with nothing to send yet stays open, as grpcurl would show it
                throw new AssertionError("README: " + method + " " + json + " → " + e.getStatus(), e);
            }
        }
        answers.computeIfAbsent(method, m -> new ArrayList<>()).add(answer == null ? "" : JsonFormat.printer().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(types).build()).print(answer));
        if (function[1].equals("minqing.v1.CaseCommandService")) {
            if (reportedCase == null) {
                reportedCase = (String) answer.getField(descriptor.getOutputType().findFieldByName("case"));
            }
            revision = (long) answer.getField(descriptor.getOutputType().findFieldByName("revision"));
        }
    }

    /** What grpcurl does first: the service's descriptor, with its imports, from the server's reflection service. */
    private ServiceDescriptor reflect(String service) throws Exception {
        List<FileDescriptorProto> files = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Status[] failure = {null};
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(anonymous.channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        for (var bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
                            try {
                                files.add(FileDescriptorProto.parseFrom(bytes));
                            } catch (InvalidProtocolBufferException e) {
                                failure[0] = Status.INTERNAL.withCause(e);
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure[0] = Status.fromThrowable(t);
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(service).build());
        requests.onCompleted();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failure[0]).as("reflection of " + service).isNull();
        // The first file is the one defining the symbol, the rest its imports: build in dependency order.
        Map<String, FileDescriptor> built = new HashMap<>();
        while (built.size() < files.size()) {
            int before = built.size();
            for (FileDescriptorProto file : files) {
                if (!built.containsKey(file.getName()) && built.keySet().containsAll(file.getDependencyList())) {
                    built.put(file.getName(), FileDescriptor.buildFrom(file, file.getDependencyList().stream()
                            .map(built::get).toArray(FileDescriptor[]::new)));
                }
            }
            assertThat(built.size()).as("reflection sent every import of " + service).isGreaterThan(before);
        }
        // Like grpcurl, print google.protobuf.Any payloads (the audit's events) with the reflected types.
        built.values().forEach(file -> types.addAll(file.getMessageTypes()));
        return built.get(files.get(0).getName()).findServiceByName(service.substring(service.lastIndexOf('.') + 1));
    }
}
