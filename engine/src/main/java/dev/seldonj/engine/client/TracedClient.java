package dev.seldonj.engine.client;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.tracing.EngineTracing;
import dev.seldonj.engine.tracing.RequestTrace;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A node's client with a span per graph step (predict, transform, route, aggregate, feedback), a child of the
 * request's server span. The span is current while the wrapped client writes its request, so the component
 * receives it as its parent ({@link RequestTrace#inject}). Status and metadata calls pass through untraced.
 */
public final class TracedClient implements ComponentClient {

    static final AttributeKey<String> NODE = AttributeKey.stringKey("seldon.node.name");
    static final AttributeKey<String> TYPE = AttributeKey.stringKey("seldon.node.type");
    static final AttributeKey<String> IMPLEMENTATION = AttributeKey.stringKey("seldon.node.implementation");
    static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("seldon.node.transport");
    static final AttributeKey<String> STEP = AttributeKey.stringKey("seldon.step");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("seldon.status");
    static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

    /** How a node is reached: decides the status attribute a step's span gets. */
    public enum Transport {
        REST,
        GRPC,
        BUILTIN
    }

    private final ComponentClient delegate;
    private final Transport transport;
    private final SpanKind kind;
    /** Per step: the span's name and its fixed attributes. */
    private final String[] names = new String[Step.values().length];

    private final Attributes[] attributes = new Attributes[Step.values().length];

    public TracedClient(
            ComponentClient delegate,
            String node,
            String type,
            String implementation,
            Transport transport,
            String host,
            int port) {
        this.delegate = delegate;
        this.transport = transport;
        this.kind = transport == Transport.BUILTIN ? SpanKind.INTERNAL : SpanKind.CLIENT;
        for (Step s : Step.values()) {
            names[s.ordinal()] = s.metricName + " " + node;
            var a = Attributes.builder()
                    .put(NODE, node)
                    .put(TYPE, type)
                    .put(TRANSPORT, transport.name().toLowerCase(Locale.ROOT))
                    .put(STEP, s.metricName);
            if (implementation != null && !implementation.isEmpty()) {
                a.put(IMPLEMENTATION, implementation);
            }
            if (transport != Transport.BUILTIN) {
                a.put(SERVER_ADDRESS, host).put(SERVER_PORT, (long) port);
            }
            attributes[s.ordinal()] = a.build();
        }
    }

    @Override
    public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
        return traced(step, ctx, () -> delegate.transform(step, input, ctx));
    }

    @Override
    public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
        return traced(Step.ROUTE, ctx, () -> delegate.route(input, ctx));
    }

    @Override
    public CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
        return traced(Step.AGGREGATE, ctx, () -> delegate.aggregate(inputs, ctx));
    }

    @Override
    public CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
        return traced(Step.SEND_FEEDBACK, ctx, () -> delegate.sendFeedback(feedback, ctx));
    }

    @Override
    public CompletableFuture<byte[]> metadata(RequestContext ctx) {
        return delegate.metadata(ctx);
    }

    @Override
    public CompletableFuture<byte[]> status(RequestContext ctx) {
        return delegate.status(ctx);
    }

    @Override
    public CompletableFuture<Boolean> ready() {
        return delegate.ready();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private <T> CompletableFuture<T> traced(Step step, RequestContext ctx, Supplier<CompletableFuture<T>> call) {
        RequestTrace trace = ctx.trace();
        if (trace == null) {
            return call.get();
        }
        Span span = trace.tracing()
                .tracer()
                .spanBuilder(names[step.ordinal()])
                .setParent(trace.context())
                .setSpanKind(kind)
                .setAllAttributes(trace.tracing().requestAttributes())
                .setAllAttributes(attributes[step.ordinal()])
                .setAttribute(EngineTracing.PUID, ctx.puid())
                .startSpan();
        CompletableFuture<T> result;
        try (Scope ignored = trace.context().with(span).makeCurrent()) {
            result = call.get();
        } catch (RuntimeException e) {
            end(span, e);
            throw e;
        }
        result.whenComplete((value, error) -> end(span, error));
        return result;
    }

    private void end(Span span, Throwable error) {
        EngineException e = error == null ? null : EngineException.of(error);
        switch (transport) {
            case REST -> span.setAttribute(RequestTrace.HTTP_STATUS, e == null ? 200L : e.httpStatus());
            case GRPC ->
                span.setAttribute(
                        GRPC_STATUS, e == null ? 0L : e.grpcStatus().getCode().value());
            case BUILTIN -> {}
        }
        if (e == null) {
            span.setAttribute(STATUS, "OK");
        } else {
            span.setAttribute(STATUS, e.kind().name());
            span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.kind().name() : e.getMessage());
        }
        span.end();
    }
}
