package dev.seldonj.engine.server;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.RateLimitedWarning;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.plan.GraphReadiness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The external REST API (Seldon's executor paths): routes a request and runs it; the answer is written
 * through the request's {@link Exchange}, as the protocol routes ({@link RestRoutes}) write theirs.
 * Stateless and shared by every connection; all work is non-blocking on the connection's loop.
 */
@ChannelHandler.Sharable
public final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final RateLimitedWarning CONNECTION_ERRORS =
            new RateLimitedWarning(LoggerFactory.getLogger(RestHandler.class), 10, TimeUnit.SECONDS, System::nanoTime);
    private static final AsciiString JSON = Exchange.JSON;

    private final Predictions predictions;
    private final EngineMetrics metrics;
    private final Exchange.Answering answering;
    private final String prometheusPath;
    private final GraphReadiness readiness;
    private final GraphMetadata metadata;
    private final StaticDocs docs;
    private final List<RestRoutes> protocolRoutes;

    /**
     * @param protocolRoutes the routes of the graph's protocol beyond Seldon's (v2, tensorflow, per-model status)
     * @param responseHeaders cross-origin and CloudEvents headers added to every answer that asks for them
     */
    public RestHandler(
            Predictions predictions,
            EngineMetrics metrics,
            String prometheusPath,
            GraphReadiness readiness,
            GraphMetadata metadata,
            StaticDocs docs,
            List<RestRoutes> protocolRoutes,
            ResponseHeaders responseHeaders) {
        super(true);
        this.predictions = predictions;
        this.metrics = metrics;
        this.answering = new Exchange.Answering(metrics, responseHeaders);
        this.prometheusPath = prometheusPath;
        this.readiness = readiness;
        this.metadata = metadata;
        this.docs = docs;
        this.protocolRoutes = List.copyOf(protocolRoutes);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        Exchange ex = new Exchange(answering, ctx, req, System.nanoTime());
        try {
            dispatch(ex);
        } catch (RuntimeException e) {
            // A bug must cost one request, never the connection or the process.
            ex.error(EngineException.of(e), "unknown");
        }
    }

    private void dispatch(Exchange ex) {
        String uri = ex.request().uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        if (ex.method() == HttpMethod.OPTIONS) {
            ex.write(HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, null, null);
            return;
        }
        switch (path) {
            case "/api/v1.0/predictions", "/api/v0.1/predictions" -> {
                if (ex.requireMethod(HttpMethod.POST, "predictions")) {
                    predict(ex);
                }
            }
            case "/api/v1.0/feedback", "/api/v0.1/feedback" -> {
                if (ex.requireMethod(HttpMethod.POST, "feedback")) {
                    feedback(ex);
                }
            }
            case "/api/v1.0/metadata", "/api/v0.1/metadata" -> {
                if (ex.requireMethod(HttpMethod.GET, "metadata")) {
                    ex.reply("metadata", metadata.json(ex.eventLoop()).thenApply(Unpooled::wrappedBuffer));
                }
            }
            case "/live" -> {
                if (ex.requireMethod(HttpMethod.GET, "live")) {
                    ex.write(HttpResponseStatus.OK, text("live"), HttpHeaderValues.TEXT_PLAIN, null);
                }
            }
            case "/ready" -> {
                if (ex.requireMethod(HttpMethod.GET, "ready")) {
                    ready(ex);
                }
            }
            default -> route(ex, path);
        }
    }

    private void ready(Exchange ex) {
        readiness.check().whenComplete((notReady, e) -> {
            if (notReady == null || notReady.isEmpty()) {
                ex.write(HttpResponseStatus.OK, text("ready"), HttpHeaderValues.TEXT_PLAIN, null);
            } else {
                ex.write(
                        HttpResponseStatus.SERVICE_UNAVAILABLE,
                        Unpooled.wrappedBuffer(
                                SeldonStatus.failure(503, "not ready: " + String.join("; ", notReady), "NOT_READY")),
                        JSON,
                        null);
            }
        });
    }

    private void route(Exchange ex, String path) {
        if ((path.equals(prometheusPath) || docs.serves(path)) && !ex.requireMethod(HttpMethod.GET, "unknown")) {
            return;
        }
        if (path.equals(prometheusPath)) {
            ex.write(
                    HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(metrics.scrape()),
                    AsciiString.of(metrics.contentType()),
                    null);
        } else if (docs.serves(path)) {
            StaticDocs.Resource r = docs.get(path);
            if (r == null) {
                notFound(ex, path);
            } else if (r.redirect() != null) {
                ex.redirect(r.redirect());
            } else {
                ex.write(
                        HttpResponseStatus.OK, Unpooled.wrappedBuffer(r.body()), AsciiString.of(r.contentType()), null);
            }
        } else {
            for (RestRoutes r : protocolRoutes) {
                if (r.serves(path)) {
                    r.handle(ex, path);
                    return;
                }
            }
            notFound(ex, path);
        }
    }

    private static void notFound(Exchange ex, String path) {
        ex.error(
                new EngineException(EngineException.Kind.NOT_FOUND, "no such endpoint: " + ex.method() + " " + path),
                "unknown");
    }

    private void predict(Exchange ex) {
        Message request;
        try {
            request = Message.request(body(ex.request()));
        } catch (EngineException e) {
            ex.error(e, "predictions", ex.headerPuid());
            return;
        }
        String puid = ex.headerPuid();
        predictions.predict(
                request, puid, ex.propagatedHeaders(), ex.eventLoop(), ex.answer(Exchange.Service.PREDICTIONS, puid));
    }

    private void feedback(Exchange ex) {
        String puid = ex.headerPuid();
        FeedbackMessage fb;
        try {
            ByteBuf body = body(ex.request());
            fb = FeedbackMessage.request(ByteBufUtil.getBytes(body, body.readerIndex(), body.readableBytes(), false));
        } catch (EngineException e) {
            ex.error(e, "feedback", puid);
            return;
        }
        predictions.feedback(
                fb, puid, ex.propagatedHeaders(), ex.eventLoop(), ex.answer(Exchange.Service.FEEDBACK, puid));
    }

    /** The JSON body: raw, or the {@code json} field of a form as older clients send it. Not retained. */
    static ByteBuf body(FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null
                && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                && !startsWithJson(req.content())) {
            QueryStringDecoder form = new QueryStringDecoder(req.content().toString(StandardCharsets.UTF_8), false);
            List<String> json = form.parameters().get("json");
            if (json == null || json.isEmpty()) {
                throw EngineException.badRequest("the form has no 'json' field");
            }
            return Unpooled.wrappedBuffer(json.get(0).getBytes(StandardCharsets.UTF_8));
        }
        if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10)) {
            throw EngineException.badRequest("multipart bodies are not supported: send JSON or a form field json=");
        }
        if (req.content().readableBytes() == 0) {
            QueryStringDecoder query = new QueryStringDecoder(req.uri());
            List<String> json = query.parameters().get("json");
            if (json != null && !json.isEmpty()) {
                return Unpooled.wrappedBuffer(json.get(0).getBytes(StandardCharsets.UTF_8));
            }
            throw EngineException.badRequest("empty request body: expected a SeldonMessage JSON");
        }
        return req.content();
    }

    /** curl -d sends JSON labelled as a form; like Seldon's wrapper, a body that is JSON is read as JSON. */
    private static boolean startsWithJson(ByteBuf content) {
        for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
            byte b = content.getByte(i);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '{';
            }
        }
        return false;
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecompressionException) {
            // The body does not match its Content-Encoding: say so, then drop the connection (its stream is unusable).
            ClosingAnswer.send(
                    ctx,
                    HttpResponseStatus.BAD_REQUEST,
                    "the request body does not match its " + "Content-Encoding: " + cause.getMessage(),
                    EngineException.Kind.BAD_REQUEST.reason);
            return;
        }
        // A client that hangs up is routine; anything else (direct memory exhausted by bodies larger than the
        // heap can hold at once, say) must be visible, but once per interval however often it repeats.
        if (!(cause instanceof IOException)) {
            CONNECTION_ERRORS.warn(() -> "closed a client connection after an error: " + cause);
        }
        ctx.close();
    }
}
