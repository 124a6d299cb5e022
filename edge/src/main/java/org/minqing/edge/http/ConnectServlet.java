package org.minqing.edge.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The API over HTTP in the Connect protocol (connectrpc.com/docs/protocol): every method at
 * {@code POST /<service>/<method>}; a unary call takes and answers {@code application/json} (or
 * {@code application/proto}), a server stream {@code application/connect+json} (or {@code +proto})
 * envelopes. Each call is made to the same gRPC services through an in-process channel, so who may
 * call, what is valid, request ids, the request log and every error are those of the gRPC API: this
 * face translates and decides nothing about cases.
 */
final class ConnectServlet extends HttpServlet {

    private static final Pattern TIMEOUT = Pattern.compile("\\d{1,10}");
    /** Request headers that are HTTP's or the protocol's own, not metadata for the call. */
    private static final Set<String> NOT_METADATA = Set.of("host", "content-type", "content-length", "content-encoding",
            "accept", "accept-encoding", "accept-language", "connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "user-agent", "expect", "cookie", "origin", "referer", "authorization");

    private final Procedures procedures;
    private final Channel channel;
    private final long maxRequestBytes;
    private final Duration maxStreamDuration;
    private final JsonFormat.Parser parser;
    private final JsonFormat.Printer printer;

    ConnectServlet(Procedures procedures, Channel channel, long maxRequestBytes, Duration maxStreamDuration) {
        this.procedures = procedures;
        this.channel = channel;
        this.maxRequestBytes = maxRequestBytes;
        this.maxStreamDuration = maxStreamDuration;
        this.parser = JsonFormat.parser().usingTypeRegistry(procedures.types());
        this.printer = JsonFormat.printer().usingTypeRegistry(procedures.types()).omittingInsignificantWhitespace();
    }

    /** A request the protocol refuses before any call is made. */
    private static final class Refused extends Exception {
        final int httpStatus;
        final transient Status status;

        Refused(int httpStatus, Status.Code code, String message) {
            super(message, null, false, false);
            this.httpStatus = httpStatus;
            this.status = Status.fromCode(code).withDescription(message);
        }
    }

    /** How the messages of one call are written: JSON or binary protobuf. */
    private enum Codec {
        JSON("application/json", "application/connect+json"),
        PROTO("application/proto", "application/connect+proto");

        final String unary;
        final String streaming;

        Codec(String unary, String streaming) {
            this.unary = unary;
            this.streaming = streaming;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        Procedure procedure = procedures.at(path);
        if (procedure == null) {
            writeError(response, new Refused(404, Status.Code.UNIMPLEMENTED, "no method " + path
                    + " (each method is POST /service/method, e.g. /minqing.v1.CaseQueryService/GetCase: docs/http.md)"));
            return;
        }
        Codec codec;
        try {
            if (!"POST".equals(request.getMethod())) {
                response.setHeader("Allow", "POST");
                throw new Refused(405, Status.Code.UNIMPLEMENTED, request.getMethod() + " " + path + ": only POST");
            }
            codec = codec(request, procedure);
        } catch (Refused refused) {
            writeError(response, refused);
            return;
        }
        try {
            if (request.getHeader("Connect-Protocol-Version") != null && !"1".equals(request.getHeader("Connect-Protocol-Version"))) {
                throw new Refused(400, Status.Code.INVALID_ARGUMENT, "Connect-Protocol-Version must be 1");
            }
            CallOptions options = options(request);
            Metadata headers = metadata(request);
            byte[] body = body(request);
            byte[] message = procedure.serverStreaming() ? unenvelope(body) : body;
            byte[] call = decode(codec, message, procedure);
            if (procedure.serverStreaming()) {
                stream(request, response, procedure, codec, options, headers, call);
            } else {
                unary(response, procedure, codec, options, headers, call);
            }
        } catch (Refused refused) {
            if (procedure.serverStreaming()) {
                response.setStatus(200);
                response.setContentType(codec.streaming);
                ConnectStream.envelope(response.getOutputStream(), ConnectStream.END_OF_STREAM, endOfStream(refused.status, null, null));
            } else {
                writeError(response, refused);
            }
        }
    }

    private static Codec codec(HttpServletRequest request, Procedure procedure) throws Refused {
        String type = request.getContentType() == null ? ""
                : request.getContentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (Codec codec : Codec.values()) {
            if (type.equals(procedure.serverStreaming() ? codec.streaming : codec.unary)) {
                String encoding = request.getHeader(procedure.serverStreaming() ? "Connect-Content-Encoding" : "Content-Encoding");
                if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                    throw new Refused(415, Status.Code.UNIMPLEMENTED, "content encoding " + encoding
                            + " is not supported: send the body uncompressed");
                }
                return codec;
            }
        }
        String accepted = procedure.serverStreaming()
                ? Codec.JSON.streaming + ", " + Codec.PROTO.streaming : Codec.JSON.unary + ", " + Codec.PROTO.unary;
        throw new Refused(415, Status.Code.INVALID_ARGUMENT, "Content-Type " + (type.isEmpty() ? "missing" : type)
                + ": " + procedure.method().getFullMethodName() + " takes " + accepted);
    }

    private static CallOptions options(HttpServletRequest request) throws Refused {
        String timeout = request.getHeader("Connect-Timeout-Ms");
        if (timeout == null) {
            return CallOptions.DEFAULT;
        }
        if (!TIMEOUT.matcher(timeout).matches()) {
            throw new Refused(400, Status.Code.INVALID_ARGUMENT, "Connect-Timeout-Ms must be a whole number of milliseconds, up to 10 digits");
        }
        return CallOptions.DEFAULT.withDeadlineAfter(Long.parseLong(timeout), TimeUnit.MILLISECONDS);
    }

    /** The request's own headers (the API key, a traceparent, a correlation id …) as the call's metadata. */
    private static Metadata metadata(HttpServletRequest request) throws Refused {
        Metadata metadata = new Metadata();
        for (String name : Collections.list(request.getHeaderNames())) {
            String key = name.toLowerCase(Locale.ROOT);
            if (NOT_METADATA.contains(key) || key.startsWith("connect-") || key.startsWith("grpc-") || !validKey(key)) {
                continue;
            }
            for (String value : Collections.list(request.getHeaders(name))) {
                if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    try {
                        metadata.put(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER), Base64.getDecoder().decode(value.trim()));
                    } catch (IllegalArgumentException notBase64) {
                        throw new Refused(400, Status.Code.INVALID_ARGUMENT, "header " + key + " must be base64");
                    }
                } else {
                    metadata.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
                }
            }
        }
        return metadata;
    }

    private static boolean validKey(String key) {
        return !key.isEmpty() && key.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
    }

    private byte[] body(HttpServletRequest request) throws IOException, Refused {
        if (request.getContentLengthLong() > maxRequestBytes) {
            throw tooLarge();
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
        if (body.length > maxRequestBytes) {
            throw tooLarge();
        }
        return body;
    }

    private Refused tooLarge() {
        return new Refused(413, Status.Code.RESOURCE_EXHAUSTED, "the request body is over the limit of " + maxRequestBytes + " bytes");
    }

    /** The one message of a server-streaming request: a five-byte prefix (flags, length), then the message. */
    private static byte[] unenvelope(byte[] body) throws Refused {
        if (body.length < 5) {
            throw new Refused(400, Status.Code.INVALID_ARGUMENT, "a streaming request is one enveloped message: flags byte, 4-byte length, message");
        }
        ByteBuffer buffer = ByteBuffer.wrap(body);
        byte flags = buffer.get();
        int length = buffer.getInt();
        if (flags != 0) {
            throw new Refused(400, Status.Code.INVALID_ARGUMENT, "the request envelope's flags must be 0 (uncompressed message)");
        }
        if (length < 0 || length != buffer.remaining()) {
            throw new Refused(400, Status.Code.INVALID_ARGUMENT, "the request envelope says " + length
                    + " bytes but " + buffer.remaining() + " follow: a streaming request is exactly one message");
        }
        byte[] message = new byte[length];
        buffer.get(message);
        return message;
    }

    /** The call's request bytes: JSON parsed (proto3 JSON mapping, unknown fields refused), or protobuf as sent. */
    private byte[] decode(Codec codec, byte[] message, Procedure procedure) throws Refused {
        if (codec == Codec.PROTO) {
            return message; // parsed by the service, which answers INVALID_ARGUMENT for bytes that are not its message
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new Refused(400, Status.Code.INVALID_ARGUMENT, "the request body is not UTF-8");
        }
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(procedure.input());
        try {
            parser.merge(json.isBlank() ? "{}" : json, builder);
        } catch (InvalidProtocolBufferException | RuntimeException malformed) {
            throw new Refused(400, Status.Code.INVALID_ARGUMENT, "the request body is not a " + procedure.input().getFullName()
                    + " in JSON (proto3 JSON mapping): " + malformed.getMessage());
        }
        return builder.build().toByteArray();
    }

    private byte[] encode(Codec codec, byte[] answer, Procedure procedure) throws InvalidProtocolBufferException {
        return codec == Codec.PROTO ? answer
                : printer.print(DynamicMessage.parseFrom(procedure.output(), answer)).getBytes(StandardCharsets.UTF_8);
    }

    private void unary(HttpServletResponse response, Procedure procedure, Codec codec, CallOptions options,
                       Metadata headers, byte[] request) throws IOException {
        AtomicReference<Metadata> answerHeaders = new AtomicReference<>();
        AtomicReference<Metadata> answerTrailers = new AtomicReference<>();
        Channel call = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers),
                MetadataUtils.newCaptureMetadataInterceptor(answerHeaders, answerTrailers));
        byte[] answer;
        try {
            answer = ClientCalls.blockingUnaryCall(call, procedure.method(), options, request);
        } catch (StatusRuntimeException failed) {
            copy(answerHeaders.get(), response, "");
            copy(failed.getTrailers(), response, "trailer-");
            writeError(response, ConnectErrors.httpStatus(failed.getStatus().getCode()),
                    ConnectErrors.error(failed.getStatus(), StatusProto.fromStatusAndTrailers(failed.getStatus(), failed.getTrailers()),
                            procedures.types()));
            return;
        }
        byte[] body = encode(codec, answer, procedure);
        copy(answerHeaders.get(), response, "");
        copy(answerTrailers.get(), response, "trailer-");
        response.setStatus(200);
        response.setContentType(codec.unary);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private void stream(HttpServletRequest request, HttpServletResponse response, Procedure procedure, Codec codec,
                        CallOptions options, Metadata headers, byte[] message) throws IOException {
        response.setStatus(200);
        response.setContentType(codec.streaming);
        new ConnectStream(procedure.method().getFullMethodName(), response, request.startAsync(),
                channel.newCall(procedure.method(), options), answer -> encode(codec, answer, procedure),
                (status, trailers) -> endOfStream(status, StatusProto.fromStatusAndTrailers(status, trailers), trailers),
                maxStreamDuration).start(message, headers);
    }

    /** The last envelope of a stream: {@code {}} or {@code {"error": …}}, with the trailers as {@code metadata}. */
    private byte[] endOfStream(Status status, com.google.rpc.Status detailed, Metadata trailers) throws IOException {
        Struct.Builder end = Struct.newBuilder();
        if (!status.isOk()) {
            end.putFields("error", Value.newBuilder().setStructValue(ConnectErrors.error(status, detailed, procedures.types())).build());
        }
        if (trailers != null) {
            Struct.Builder metadata = Struct.newBuilder();
            for (String key : trailers.keys()) {
                if (!key.startsWith("grpc-") && !key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    ListValue.Builder values = ListValue.newBuilder();
                    trailers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)).forEach(v -> values.addValues(ConnectErrors.text(v)));
                    metadata.putFields(key, Value.newBuilder().setListValue(values).build());
                }
            }
            if (metadata.getFieldsCount() > 0) {
                end.putFields("metadata", Value.newBuilder().setStructValue(metadata).build());
            }
        }
        return printer.print(end.build()).getBytes(StandardCharsets.UTF_8);
    }

    /** The call's ASCII headers or trailers as HTTP headers (Connect sends a unary call's trailers as {@code trailer-*}). */
    static void copy(Metadata metadata, HttpServletResponse response, String prefix) {
        if (metadata == null || response.isCommitted()) {
            return;
        }
        for (String key : metadata.keys()) {
            if (key.startsWith("grpc-") || key.equals("content-type") || key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                continue;
            }
            for (String value : metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
                response.addHeader(prefix + key, value);
            }
        }
    }

    private void writeError(HttpServletResponse response, Refused refused) throws IOException {
        writeError(response, refused.httpStatus, ConnectErrors.error(refused.status, null, procedures.types()));
    }

    private void writeError(HttpServletResponse response, int httpStatus, Struct error) throws IOException {
        byte[] body = printer.print(error).getBytes(StandardCharsets.UTF_8);
        response.setStatus(httpStatus);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
