package dev.seldonj.engine.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.plan.PlanNode;
import dev.seldonj.engine.tracing.EngineTracing;
import dev.seldonj.engine.tracing.RequestTrace;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The transport-independent entry points the REST and gRPC adapters share: resolve the puid, run
 * the graph, hand the last message to the adapter to answer with (its meta written by
 * {@link RequestContext#writeResponseMeta}), then release the request's buffers.
 */
public final class Predictions {

    private static final byte[] EMPTY = {'{', '}'};

    /**
     * How an adapter answers. Exactly one method is called, once. The message's buffers are released
     * when {@code succeeded} returns, so it converts or copies what it keeps; if it throws, nothing
     * was written and {@code failed} is called with the exception.
     */
    public interface Completion {
        void succeeded(Message out, RequestContext ctx);

        void failed(Throwable error);
    }

    private final GraphExecutor executor;
    private final EngineTracing tracing;

    public Predictions(GraphExecutor executor) {
        this(executor, EngineTracing.OFF);
    }

    /** @param tracing the server span of each request, continuing the client's trace (docs/tracing.md) */
    public Predictions(GraphExecutor executor, EngineTracing tracing) {
        this.executor = executor;
        this.tracing = tracing;
    }

    public GraphExecutor executor() {
        return executor;
    }

    public void predict(
            Message request,
            String headerPuid,
            List<Map.Entry<String, String>> headers,
            EventLoop loop,
            Completion done) {
        predict(executor.plan().root(), request, headerPuid, headers, loop, done);
    }

    /** As {@link #predict(Message, String, List, EventLoop, Completion)}, through the part of the graph under {@code start}. */
    public void predict(
            PlanNode start,
            Message request,
            String headerPuid,
            List<Map.Entry<String, String>> headers,
            EventLoop loop,
            Completion done) {
        RequestTrace trace = tracing.enabled() ? tracing.begin("predictions", headers) : null;
        RequestContext ctx;
        CompletableFuture<Message> result;
        try {
            ctx = new RequestContext(
                    headerSafe(puid(headerPuid, request.meta())),
                    trace == null ? headers : trace.headers(),
                    loop,
                    !request.isJson());
        } catch (EngineException e) {
            traced(done, trace).failed(e);
            return;
        }
        if (trace != null) {
            ctx.trace(trace);
            trace.puid(ctx.puid());
        }
        Completion answer = traced(done, trace);
        try {
            // The whole graph from its root may take the executor's single-step fast path.
            result = start == executor.plan().root()
                    ? executor.predict(request, ctx)
                    : executor.predict(start, request, ctx);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((out, error) -> finish(out, error, ctx, answer));
    }

    public void feedback(
            FeedbackMessage feedback,
            String headerPuid,
            List<Map.Entry<String, String>> headers,
            EventLoop loop,
            Completion done) {
        String puid = headerPuid != null && !headerPuid.isEmpty()
                ? headerPuid
                : feedback.puid().isEmpty() ? RequestContext.newPuid() : feedback.puid();
        RequestTrace trace = tracing.enabled() ? tracing.begin("feedback", headers) : null;
        RequestContext ctx;
        try {
            ctx = new RequestContext(
                    headerSafe(puid), trace == null ? headers : trace.headers(), loop, !feedback.isJson());
        } catch (EngineException e) {
            traced(done, trace).failed(e);
            return;
        }
        if (trace != null) {
            ctx.trace(trace);
            trace.puid(ctx.puid());
        }
        Completion answer = traced(done, trace);
        CompletableFuture<Message> result;
        try {
            result = executor.feedback(feedback, ctx);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((out, error) ->
                finish(out == null && error == null ? Message.trusted(EMPTY) : out, error, ctx, answer));
    }

    /** As {@link #predict(Message, String, List, EventLoop, Completion)}, for adapters answering from a future. */
    public <T> CompletableFuture<T> predict(
            Message request,
            String headerPuid,
            List<Map.Entry<String, String>> headers,
            EventLoop loop,
            BiFunction<Message, RequestContext, T> answer) {
        FutureCompletion<T> done = new FutureCompletion<>(answer);
        predict(request, headerPuid, headers, loop, done);
        return done.result;
    }

    /** As {@link #predict(PlanNode, Message, String, List, EventLoop, Completion)}, answering from a future. */
    public <T> CompletableFuture<T> predict(
            PlanNode start,
            Message request,
            String headerPuid,
            List<Map.Entry<String, String>> headers,
            EventLoop loop,
            BiFunction<Message, RequestContext, T> answer) {
        FutureCompletion<T> done = new FutureCompletion<>(answer);
        predict(start, request, headerPuid, headers, loop, done);
        return done.result;
    }

    /** As {@link #feedback(FeedbackMessage, String, List, EventLoop, Completion)}, answering from a future. */
    public <T> CompletableFuture<T> feedback(
            FeedbackMessage feedback,
            String headerPuid,
            List<Map.Entry<String, String>> headers,
            EventLoop loop,
            BiFunction<Message, RequestContext, T> answer) {
        FutureCompletion<T> done = new FutureCompletion<>(answer);
        feedback(feedback, headerPuid, headers, loop, done);
        return done.result;
    }

    private static final class FutureCompletion<T> implements Completion {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final BiFunction<Message, RequestContext, T> answer;

        FutureCompletion(BiFunction<Message, RequestContext, T> answer) {
            this.answer = answer;
        }

        @Override
        public void succeeded(Message out, RequestContext ctx) {
            result.complete(answer.apply(out, ctx));
        }

        @Override
        public void failed(Throwable error) {
            result.completeExceptionally(error);
        }
    }

    /** Ends the request's server span once the adapter has answered (or failed to). */
    private static Completion traced(Completion done, RequestTrace trace) {
        if (trace == null) {
            return done;
        }
        return new Completion() {
            @Override
            public void succeeded(Message out, RequestContext ctx) {
                // If this throws, the caller reports the failure through failed(), which ends the span.
                done.succeeded(out, ctx);
                trace.end(null);
            }

            @Override
            public void failed(Throwable error) {
                try {
                    done.failed(error);
                } finally {
                    trace.end(error);
                }
            }
        };
    }

    private static void finish(Message out, Throwable error, RequestContext ctx, Completion done) {
        try {
            if (error != null) {
                done.failed(error);
                return;
            }
            try {
                done.succeeded(out, ctx);
            } catch (RuntimeException e) {
                done.failed(e);
            }
        } finally {
            ctx.release();
        }
    }

    /** The puid goes out as the Seldon-Puid header (to components and the client): no control characters. */
    private static String headerSafe(String puid) {
        for (int i = 0; i < puid.length(); i++) {
            char c = puid.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw EngineException.badRequest("meta.puid: control character at index " + i
                        + " (the puid is sent as the " + "Seldon-Puid header)");
            }
        }
        return puid;
    }

    private static String puid(String header, ObjectNode meta) {
        if (header != null && !header.isEmpty()) {
            return header;
        }
        JsonNode p = meta == null ? null : meta.get("puid");
        return p != null && p.isTextual() && !p.asText().isEmpty() ? p.asText() : RequestContext.newPuid();
    }
}
