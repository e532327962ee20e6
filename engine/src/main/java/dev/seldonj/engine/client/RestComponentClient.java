package dev.seldonj.engine.client;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A node served over REST on Seldon's internal API ({@code POST /predict}, {@code /route} ...), or
 * its v2 or tensorflow equivalent ({@link RestProtocol}). The message bytes go out as they came in;
 * only answers' meta and routers' routes are parsed. Requests are written as bytes: the start line
 * and the fixed headers are prepared once per node.
 */
public final class RestComponentClient implements ComponentClient {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    /** Up to this size a body is copied next to the head: one buffer, one write. */
    private static final int COPY_MAX = 1024;

    private static final byte[] CONTENT_LENGTH = HttpHead.name("content-length");
    private static final byte[] PUID = HttpHead.name("Seldon-Puid");

    private final String node;
    private final HttpConnectionPool pool;
    private final boolean formEncoded;
    private final EngineMetrics.Client metrics;
    private final RestProtocol protocol;
    /** Per step: {@code POST <path> HTTP/1.1\r\n}, and {@code POST <path>} for error messages. */
    private final byte[][] requestLines;

    private final String[] calls;
    /** {@code host: ...\r\ncontent-type: ...\r\n}: after the propagated headers, as Netty laid them out. */
    private final byte[] fixedHeaders;
    /** {@code GET <path> HTTP/1.1\r\n} of the status and metadata calls, and {@code GET <path>} for error messages. */
    private final byte[] statusLine;

    private final String statusCall;
    private final byte[] metadataLine;
    private final String metadataCall;
    /** The server's metadata ({@code GET /v2}), for the protocols that have it; else null. */
    private final byte[] serverMetadataLine;
    /** {@code host: ...\r\ncontent-length: 0\r\n} of the GETs. */
    private final byte[] getHeaders;

    private final TcpProbe probe;

    public RestComponentClient(
            String node,
            HttpConnectionPool pool,
            TcpProbe probe,
            boolean formEncoded,
            RestProtocol protocol,
            EngineMetrics.Client metrics) {
        this.node = node;
        this.pool = pool;
        this.probe = probe;
        this.formEncoded = formEncoded;
        this.protocol = protocol;
        this.metrics = metrics;
        this.requestLines = new byte[Step.values().length][];
        this.calls = new String[Step.values().length];
        for (Step s : Step.values()) {
            String path = protocol.path(s, node);
            requestLines[s.ordinal()] = ("POST " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1);
            calls[s.ordinal()] = "POST " + path;
        }
        this.fixedHeaders = ("host: " + pool.address() + "\r\ncontent-type: "
                        + (formEncoded ? "application/x-www-form-urlencoded" : "application/json") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        String statusPath = protocol.statusPath(node);
        this.statusLine = ("GET " + statusPath + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.statusCall = "GET " + statusPath;
        String metadataPath = protocol.metadataPath(node);
        this.metadataLine = ("GET " + metadataPath + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.metadataCall = "GET " + metadataPath;
        this.serverMetadataLine =
                protocol == RestProtocol.V2 ? "GET /v2 HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1) : null;
        this.getHeaders =
                ("host: " + pool.address() + "\r\ncontent-length: 0\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
        ByteBuf body = protocol.request(input, node);
        MessageCall call = new MessageCall(step, ctx);
        post(step, body, ctx, call);
        return call.result;
    }

    @Override
    public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
        ByteBuf body = protocol.json(input);
        RouteCall call = new RouteCall(ctx);
        post(Step.ROUTE, body, ctx, call);
        return call.result;
    }

    @Override
    public CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
        // Seldon's executor sends a bare JSON array; the Java wrapper's form field wants a SeldonMessageList.
        CompositeByteBuf body = ALLOC.compositeDirectBuffer(inputs.size() * 2 + 2);
        ByteBuf open = ALLOC.directBuffer(32);
        if (formEncoded) {
            open.writeCharSequence("{\"seldonMessages\":", StandardCharsets.US_ASCII);
        }
        body.addComponent(true, open.writeByte('['));
        for (int i = 0; i < inputs.size(); i++) {
            if (i > 0) {
                body.addComponent(true, ALLOC.directBuffer(1).writeByte(','));
            }
            body.addComponent(true, protocol.json(inputs.get(i)));
        }
        ByteBuf close = ALLOC.directBuffer(2).writeByte(']');
        if (formEncoded) {
            close.writeByte('}');
        }
        body.addComponent(true, close);
        MessageCall call = new MessageCall(Step.AGGREGATE, ctx);
        post(Step.AGGREGATE, body, ctx, call);
        return call.result;
    }

    @Override
    public CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
        MessageCall call = new MessageCall(Step.SEND_FEEDBACK, ctx);
        post(Step.SEND_FEEDBACK, Unpooled.wrappedBuffer(feedback.json()), ctx, call);
        return call.result;
    }

    @Override
    public CompletableFuture<byte[]> metadata(RequestContext ctx) {
        return get(metadataLine, metadataCall, ctx);
    }

    @Override
    public CompletableFuture<byte[]> status(RequestContext ctx) {
        return get(statusLine, statusCall, ctx);
    }

    @Override
    public CompletableFuture<byte[]> serverMetadata(RequestContext ctx) {
        return serverMetadataLine == null
                ? ComponentClient.super.serverMetadata(ctx)
                : get(serverMetadataLine, "GET /v2", ctx);
    }

    /** A GET on the node (status, metadata) with the client's headers; a non-2xx answer is passed through. */
    private CompletableFuture<byte[]> get(byte[] requestLine, String what, RequestContext ctx) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ByteBuf head = ALLOC.buffer(256);
        try {
            head.writeBytes(requestLine);
            for (Map.Entry<String, String> e : ctx.headers()) {
                HttpHead.header(head, e.getKey(), e.getValue());
            }
            head.writeBytes(getHeaders);
            HttpHead.header(head, PUID, ctx.puid());
            if (ctx.trace() != null) {
                ctx.trace().inject((name, value) -> HttpHead.header(head, name, value));
            }
            HttpHead.end(head);
        } catch (RuntimeException e) {
            head.release();
            throw e;
        }
        pool.exchange(ctx.eventLoop(), head, null, what, new HttpConnectionPool.Exchange() {
            @Override
            protected void completed(int status, ByteBuf body, String contentType) {
                byte[] bytes = ByteBufUtil.getBytes(body);
                body.release();
                if (status / 100 != 2) {
                    result.completeExceptionally(EngineException.componentStatus(node, status, bytes, contentType));
                } else {
                    result.complete(bytes);
                }
            }

            @Override
            protected void failed(EngineException error) {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Boolean> ready() {
        return probe.probe();
    }

    /** Writes the request for {@code step} (the body is the caller's, released here) and starts the call. */
    private void post(Step step, ByteBuf json, RequestContext ctx, Call<?> call) {
        ByteBuf body = json;
        if (formEncoded) {
            String encoded = "json=" + URLEncoder.encode(json.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            json.release();
            body = Unpooled.copiedBuffer(encoded, StandardCharsets.US_ASCII);
        }
        int length = body.readableBytes();
        ByteBuf head = ALLOC.buffer(256 + (length <= COPY_MAX ? length : 0));
        try {
            head.writeBytes(requestLines[step.ordinal()]);
            for (Map.Entry<String, String> e : ctx.headers()) {
                HttpHead.header(head, e.getKey(), e.getValue());
            }
            head.writeBytes(fixedHeaders);
            HttpHead.header(head, CONTENT_LENGTH, length);
            HttpHead.header(head, PUID, ctx.puid());
            if (ctx.trace() != null) {
                ctx.trace().inject((name, value) -> HttpHead.header(head, name, value));
            }
            HttpHead.end(head);
            if (length <= COPY_MAX) {
                head.writeBytes(body);
                body.release();
                body = null;
            }
        } catch (RuntimeException e) {
            head.release();
            if (body != null) {
                body.release();
            }
            throw e;
        }
        pool.exchange(ctx.eventLoop(), head, body, calls[step.ordinal()], call);
    }

    /** A call whose answer, when 2xx, becomes a {@code T}; metrics and non-2xx answers are handled here. */
    private abstract class Call<T> extends HttpConnectionPool.Exchange {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Step step;
        final RequestContext ctx;
        final long start = System.nanoTime();

        Call(Step step, RequestContext ctx) {
            this.step = step;
            this.ctx = ctx;
        }

        /** The answer of a 2xx; takes ownership of the body. */
        abstract T answer(ByteBuf body);

        @Override
        protected void completed(int status, ByteBuf body, String contentType) {
            metrics.observe(step, status, start);
            if (status / 100 != 2) {
                byte[] bytes = ByteBufUtil.getBytes(body);
                body.release();
                result.completeExceptionally(EngineException.componentStatus(node, status, bytes, contentType));
                return;
            }
            T value;
            try {
                value = answer(body);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(value);
        }

        @Override
        protected void failed(EngineException error) {
            metrics.observe(step, error.httpStatus(), start);
            result.completeExceptionally(error);
        }
    }

    /** predict, transform-input/output, aggregate, send-feedback: the answer is the next message. */
    private final class MessageCall extends Call<Message> {
        MessageCall(Step step, RequestContext ctx) {
            super(step, ctx);
        }

        @Override
        Message answer(ByteBuf body) {
            if (!ctx.own(body)) {
                throw new EngineException(
                        EngineException.Kind.INTERNAL, "node '" + node + "' answered after the request ended");
            }
            return Message.response(body, node);
        }
    }

    /** route: the answer is a branch number. */
    private final class RouteCall extends Call<Integer> {
        RouteCall(RequestContext ctx) {
            super(Step.ROUTE, ctx);
        }

        @Override
        Integer answer(ByteBuf body) {
            try {
                return RouteAnswer.fromJson(ByteBufUtil.getBytes(body), node);
            } finally {
                body.release();
            }
        }
    }
}
