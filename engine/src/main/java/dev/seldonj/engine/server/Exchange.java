package dev.seldonj.engine.server;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.message.StatusFlag;
import dev.seldonj.engine.message.V2Messages;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.InboundHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One REST request while it is being answered: the connection, the request, when it arrived, and the ways
 * to answer it (a body, an error, a graph's outcome, a future body), each counted in the metrics. The
 * {@link RestHandler} routes; the route classes ({@link RestRoutes}) answer through this.
 */
public final class Exchange {

    private static final AsciiString PUID = AsciiString.cached(InboundHeaders.PUID);
    static final AsciiString JSON = HttpHeaderValues.APPLICATION_JSON;
    private static final byte[] RETRY_AFTER = HttpAnswer.ascii("retry-after: 1\r\n");
    private static final byte[] ALLOW_POST = HttpAnswer.ascii("allow: POST, OPTIONS\r\n");
    private static final byte[] ALLOW_GET = HttpAnswer.ascii("allow: GET, HEAD, OPTIONS\r\n");

    /** The endpoints answered with a graph's last message. */
    enum Service {
        PREDICTIONS("predictions", true),
        FEEDBACK("feedback", true),
        /** v2: the last message as it is, no Seldon meta; counted as predictions, as the main route. */
        INFER("predictions", false);

        final String label;
        final boolean withMeta;

        Service(String label, boolean withMeta) {
            this.label = label;
            this.withMeta = withMeta;
        }
    }

    /** What every exchange of a server shares: the metrics answers are counted in and the headers added to them. */
    static final class Answering {
        private final EngineMetrics metrics;
        /** Per {@link Service}, its 200s. */
        private final EngineMetrics.Endpoint[] ok;

        private final ResponseHeaders responseHeaders;

        Answering(EngineMetrics metrics, ResponseHeaders responseHeaders) {
            this.metrics = metrics;
            this.ok = new EngineMetrics.Endpoint[Service.values().length];
            for (Service s : Service.values()) {
                ok[s.ordinal()] = metrics.endpoint(s.label, "POST", 200);
            }
            this.responseHeaders = responseHeaders;
        }
    }

    private final Answering answering;
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest req;
    private final long start;

    Exchange(Answering answering, ChannelHandlerContext ctx, FullHttpRequest req, long start) {
        this.answering = answering;
        this.ctx = ctx;
        this.req = req;
        this.start = start;
    }

    FullHttpRequest request() {
        return req;
    }

    HttpMethod method() {
        return req.method();
    }

    EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    /** The client's {@code Seldon-Puid} header, or null. */
    String headerPuid() {
        return req.headers().get(PUID);
    }

    /** The client's headers its components should see. */
    List<Map.Entry<String, String>> propagatedHeaders() {
        return InboundHeaders.propagated(req.headers());
    }

    /**
     * Whether the request's method is {@code allowed} (GET, which takes HEAD too, or POST; OPTIONS is answered
     * before); otherwise
     * answers 405 with an Allow header, as HTTP asks of an endpoint that exists but not for this method.
     */
    boolean requireMethod(HttpMethod allowed, String service) {
        HttpMethod method = req.method();
        if (method == allowed || allowed == HttpMethod.GET && method == HttpMethod.HEAD) {
            return true; // HEAD: the GET's head, no body (the codec drops it)
        }
        answering.metrics.server(service, method.name(), 405, start);
        HttpAnswer.send(
                ctx,
                req,
                HttpResponseStatus.METHOD_NOT_ALLOWED,
                allowed == HttpMethod.POST ? ALLOW_POST : ALLOW_GET,
                JSON,
                Unpooled.wrappedBuffer(SeldonStatus.failure(
                        405, method + " is not allowed here, use " + allowed, "METHOD_NOT_ALLOWED")),
                false,
                null);
        return false;
    }

    /** How the graph's outcome reaches the client; holds the request until then. */
    Predictions.Completion answer(Service service, String headerPuid) {
        req.retain();
        return new Answer(answering.ok[service.ordinal()], service, headerPuid);
    }

    /** Writes a prediction's or a feedback's answer, or its error; once. */
    private final class Answer implements Predictions.Completion {
        private final EngineMetrics.Endpoint ok;
        private final Service service;
        private final String headerPuid;
        private boolean done;

        Answer(EngineMetrics.Endpoint ok, Service service, String headerPuid) {
            this.ok = ok;
            this.service = service;
            this.headerPuid = headerPuid;
        }

        @Override
        public void succeeded(Message out, RequestContext rc) {
            ByteBuf body = service.withMeta
                    ? out.jsonWithMeta(rc, ctx.alloc())
                    : out.protocolProto() != null
                            ? Unpooled.wrappedBuffer(V2Messages.json(out)) // a v2 gRPC node's answer
                            : out.json().retainedDuplicate();
            done = true;
            try {
                ok.observe(200, start);
                write(HttpResponseStatus.OK, body, JSON, rc.puid());
            } catch (RuntimeException e) {
                ctx.close(); // nothing else can be said on this connection now
                throw e;
            } finally {
                req.release();
            }
        }

        @Override
        public void failed(Throwable error) {
            if (done) {
                return;
            }
            done = true;
            try {
                error(EngineException.of(error), service.label, headerPuid);
            } finally {
                req.release();
            }
        }
    }

    /** Writes the answer of an asynchronous request, or its error. */
    void reply(String service, CompletableFuture<ByteBuf> body) {
        reply(service, body, null);
    }

    /** As {@link #reply(String, CompletableFuture)}; {@code puid[0]}, when set by then, is answered as Seldon-Puid. */
    void reply(String service, CompletableFuture<ByteBuf> body, String[] puid) {
        req.retain();
        body.whenComplete((content, error) -> {
            try {
                String p = puid == null ? null : puid[0];
                if (error != null) {
                    error(EngineException.of(error), service, p);
                } else {
                    answering.metrics.server(service, req.method().name(), 200, start);
                    write(HttpResponseStatus.OK, content, JSON, p);
                }
            } finally {
                req.release();
            }
        });
    }

    void error(EngineException e, String service) {
        error(e, service, null);
    }

    void error(EngineException e, String service, String puid) {
        answering.metrics.server(service, req.method().name(), e.httpStatus(), start);
        HttpResponseStatus status = HttpResponseStatus.valueOf(e.httpStatus());
        if (e.passthroughBody() != null) {
            AsciiString type = e.passthroughContentType() == null ? null : AsciiString.of(e.passthroughContentType());
            write(status, Unpooled.wrappedBuffer(StatusFlag.normalisedBody(e.passthroughBody())), type, puid);
        } else if (e.kind() == EngineException.Kind.OVERLOADED) {
            HttpAnswer.send(
                    ctx,
                    req,
                    status,
                    RETRY_AFTER,
                    JSON,
                    Unpooled.wrappedBuffer(SeldonStatus.failure(e)),
                    true,
                    puid,
                    answering.responseHeaders);
        } else {
            write(status, Unpooled.wrappedBuffer(SeldonStatus.failure(e)), JSON, puid);
        }
    }

    void write(HttpResponseStatus status, ByteBuf content, CharSequence contentType, String puid) {
        HttpAnswer.send(ctx, req, status, null, contentType, content, true, puid, answering.responseHeaders);
    }

    /** 302 to {@code location}, no body. */
    void redirect(String location) {
        byte[] header = HttpAnswer.ascii(HttpHeaderNames.LOCATION + ": " + location + "\r\n");
        HttpAnswer.send(ctx, req, HttpResponseStatus.FOUND, header, null, Unpooled.EMPTY_BUFFER, false, null);
    }
}
