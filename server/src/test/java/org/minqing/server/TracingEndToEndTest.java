package org.minqing.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.trace.v1.Span;
import org.axonframework.commandhandling.CommandBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minqing.command.handling.BatchingCommandBus;

/**
 * Traces as an operator's collector receives them over OTLP: a partner's call carrying a W3C
 * {@code traceparent} is traced through the gRPC call, command handling, the store and the
 * projections, in the partner's trace; with the default sampling nothing else is.
 */
class TracingEndToEndTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The handlers of the projections that read a new case, by Axon's span names. */
    private static final List<String> PROJECTED = List.of("CaseSummaryProjection.on(CaseReported,long,Instant,String)",
            "CaseTimelineProjection.on(Message,DomainEventMessage,UnitOfWork)", "SupervisionProjection.on(CaseReported,long)");

    @TempDir
    Path dataDir;

    private OtlpReceiver collector;
    private MinqingServer server;
    private MinqingClient client;

    @BeforeEach
    void start() throws Exception {
        collector = new OtlpReceiver();
        server = MinqingServer.start(dataDir,
                "management.opentelemetry.tracing.export.otlp.endpoint=" + collector.endpoint(),
                "management.opentelemetry.tracing.export.schedule-delay=100ms");
        client = server.client(MinqingClient.DEV_KEY);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        collector.close();
    }

    @Test
    void aPartnersTraceContinuesThroughCommandHandlingTheStoreAndTheProjections() {
        String traceId = hex(16);
        String partnerSpanId = hex(8);

        String name = traced(traceId, partnerSpanId).reportCase(CaseLifecycleEndToEndTest.report("TRACE-1")).getCase();
        client.awaitRevision(name, 1);

        List<Span> trace = await("the command's trace at the collector").atMost(Duration.ofSeconds(30))
                .until(() -> spansOf(traceId), spans -> names(spans).containsAll(PROJECTED));
        assertThat(names(trace)).contains("CommandBus.dispatchCommand", "CommandBus.handleCommand", "EventBus.commitEvents");
        Span call = only(trace, "minqing.v1.CaseCommandService/ReportCase");
        assertThat(hex(call.getParentSpanId())).as("the call's span is the partner's span's child").isEqualTo(partnerSpanId);
        assertThat(call.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        Span handling = only(trace, "CommandBus.handleCommand");
        assertThat(ancestors(handling, trace)).as("command handling runs inside the call").contains(call);
        if (server.context.getBean(CommandBus.class) instanceof BatchingCommandBus) { // the embedded store's sync
            Span durable = only(trace, "BatchingCommandBus.awaitDurable");
            assertThat(ancestors(durable, trace)).as("the acknowledgement waits for the sync within the call").contains(call);
            assertThat(durable.getStartTimeUnixNano()).as("after the handling").isGreaterThanOrEqualTo(handling.getEndTimeUnixNano());
        }
        Span stored = only(trace, "EventBus.commitEvents");
        assertThat(ancestors(stored, trace)).as("the events are stored inside handling").contains(handling);
        for (String projection : PROJECTED) {
            assertThat(ancestors(only(trace, projection), trace)).as("%s continues the command's trace", projection)
                    .extracting(Span::getName).contains("StreamingEventProcessor.process", "EventBus.publishEvent");
        }
    }

    @Test
    void aCallWithoutTraceContextIsNotTracedByDefault() {
        String untraced = client.commands.reportCase(CaseLifecycleEndToEndTest.report("TRACE-2")).getCase();
        client.awaitRevision(untraced, 1);
        String traceId = hex(16);
        String name = traced(traceId, hex(8)).reportCase(CaseLifecycleEndToEndTest.report("TRACE-3")).getCase();
        client.awaitRevision(name, 1);

        await("the traced command's projections at the collector").atMost(Duration.ofSeconds(30))
                .until(() -> names(spansOf(traceId)).containsAll(PROJECTED));
        assertThat(collector.spans()).as("every span the collector got belongs to the traced call")
                .allSatisfy(span -> assertThat(hex(span.getTraceId())).isEqualTo(traceId));
    }

    private org.minqing.api.v1.CaseCommandServiceGrpc.CaseCommandServiceBlockingStub traced(String traceId, String spanId) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                "00-" + traceId + "-" + spanId + "-01");
        return client.commands.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private List<Span> spansOf(String traceId) {
        return collector.spans().stream().filter(s -> hex(s.getTraceId()).equals(traceId)).toList();
    }

    private static List<String> names(List<Span> spans) {
        return spans.stream().map(Span::getName).toList();
    }

    private static Span only(List<Span> spans, String name) {
        List<Span> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named %s among %s", name, names(spans)).hasSize(1);
        return named.get(0);
    }

    private static List<Span> ancestors(Span span, List<Span> trace) {
        List<Span> found = new java.util.ArrayList<>();
        ByteString parent = span.getParentSpanId();
        while (!parent.isEmpty()) {
            ByteString id = parent;
            Span next = trace.stream().filter(s -> s.getSpanId().equals(id)).findFirst().orElse(null);
            if (next == null) {
                break;
            }
            found.add(next);
            parent = next.getParentSpanId();
        }
        return found;
    }

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }
}
