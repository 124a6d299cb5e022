package org.minqing.server.operations;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.axonframework.messaging.Message;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.SpanScope;

/**
 * Axon's spans — command dispatch and handling, loading the case, publishing and committing its
 * events, each projection's handling of them — as OpenTelemetry spans, inside the trace the gRPC
 * call began. The trace context travels in the messages' metadata ({@link #propagateContext}), so
 * a projection handling an event later, on another thread, continues the command's trace.
 *
 * <p>Axon's own module for this (axon-tracing-opentelemetry) is not served by the package registry
 * these builds use; this is the part of it Minqing needs, on the OpenTelemetry instance Spring Boot
 * configures (the same one the gRPC observations report to).
 */
final class OpenTelemetrySpanFactory implements SpanFactory {

    private static final TextMapGetter<Map<String, ?>> METADATA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, ?> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, ?> carrier, String key) {
            Object value = carrier == null ? null : carrier.get(key);
            return value == null ? null : value.toString();
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final List<SpanAttributesProvider> attributes = new CopyOnWriteArrayList<>();

    OpenTelemetrySpanFactory(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("org.minqing.axon");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public Span createRootTrace(Supplier<String> operationName) {
        return new OpenTelemetrySpan(tracer.spanBuilder(operationName.get()).setNoParent());
    }

    @Override
    public Span createHandlerSpan(Supplier<String> operationName, Message<?> parentMessage, boolean isChildTrace,
                                  Message<?>... linkedParents) {
        SpanBuilder builder = tracer.spanBuilder(operationName.get()).setSpanKind(SpanKind.CONSUMER);
        Context parent = contextOf(parentMessage);
        if (isChildTrace) {
            builder.setParent(parent);
        } else {
            builder.addLink(spanContextOf(parent));
        }
        for (Message<?> linked : linkedParents) {
            builder.addLink(spanContextOf(contextOf(linked)));
        }
        return withAttributes(builder, parentMessage);
    }

    @Override
    public Span createDispatchSpan(Supplier<String> operationName, Message<?> parentMessage,
                                   Message<?>... linkedSiblings) {
        SpanBuilder builder = tracer.spanBuilder(operationName.get()).setSpanKind(SpanKind.PRODUCER);
        for (Message<?> sibling : linkedSiblings) {
            builder.addLink(spanContextOf(contextOf(sibling)));
        }
        return withAttributes(builder, parentMessage);
    }

    @Override
    public Span createInternalSpan(Supplier<String> operationName) {
        return new OpenTelemetrySpan(tracer.spanBuilder(operationName.get()));
    }

    @Override
    public Span createInternalSpan(Supplier<String> operationName, Message<?> message) {
        return withAttributes(tracer.spanBuilder(operationName.get()), message);
    }

    @Override
    public void registerSpanAttributeProvider(SpanAttributesProvider provider) {
        attributes.add(provider);
    }

    /**
     * Adds the current trace context to the message's metadata — only when this trace is recorded:
     * the events of an untraced command are stored without it.
     */
    @Override
    @SuppressWarnings("unchecked") // every Axon message type returns its own type from andMetaData
    public <M extends Message<?>> M propagateContext(M message) {
        Context current = Context.current();
        if (!io.opentelemetry.api.trace.Span.fromContext(current).getSpanContext().isSampled()) {
            return message;
        }
        Map<String, String> context = new HashMap<>();
        propagator.inject(current, context, Map::put);
        return (M) message.andMetaData(context);
    }

    private Context contextOf(Message<?> message) {
        return propagator.extract(Context.root(), message.getMetaData(), METADATA);
    }

    private static SpanContext spanContextOf(Context context) {
        return io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext();
    }

    private Span withAttributes(SpanBuilder builder, Message<?> message) {
        for (SpanAttributesProvider provider : attributes) {
            provider.provideForMessage(message).forEach(builder::setAttribute);
        }
        return new OpenTelemetrySpan(builder);
    }

    /** Axon's span: built on {@link #start()}, current between {@link #makeCurrent()} and its close. */
    private static final class OpenTelemetrySpan implements Span {

        private final SpanBuilder builder;
        private io.opentelemetry.api.trace.Span span;

        OpenTelemetrySpan(SpanBuilder builder) {
            this.builder = builder;
        }

        @Override
        public Span start() {
            span = builder.startSpan();
            return this;
        }

        @Override
        public SpanScope makeCurrent() {
            Scope scope = span.makeCurrent();
            return scope::close;
        }

        @Override
        public void end() {
            span.end();
        }

        @Override
        public Span recordException(Throwable t) {
            span.recordException(t);
            span.setStatus(StatusCode.ERROR, t.getClass().getSimpleName());
            return this;
        }

        @Override
        public Span addAttribute(String key, String value) {
            if (span == null) {
                builder.setAttribute(key, value);
            } else {
                span.setAttribute(key, value);
            }
            return this;
        }
    }
}
