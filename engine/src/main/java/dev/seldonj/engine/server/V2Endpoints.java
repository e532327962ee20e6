package dev.seldonj.engine.server;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.V2Chain;
import dev.seldonj.engine.plan.GraphReadiness;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The Open Inference Protocol (v2) REST endpoints of a graph whose protocol is {@code v2}, as Seldon's
 * executor serves them: {@code POST /v2/models/{model}/infer} and the extension {@code /v2/models/infer}
 * (both run the whole graph), {@code GET /v2/health/ready}, {@code /v2/health/live}, and, forwarded to
 * the node, {@code GET /v2/models/{model}/ready}, {@code /v2/models/{model}} (its metadata) and
 * {@code GET /v2} (the server metadata of the graph's first node).
 * Payloads pass through as bytes.
 */
public final class V2Endpoints implements RestRoutes {

    private static final String INFER_SUFFIX = "/infer";
    private static final String READY_SUFFIX = "/ready";
    private static final String MODELS = "/v2/models/";

    private final Predictions predictions;
    private final GraphReadiness readiness;
    private final NodeForwarding forwarding;

    public V2Endpoints(Predictions predictions, GraphReadiness readiness, NodesByName nodes) {
        this.predictions = predictions;
        this.readiness = readiness;
        this.forwarding = new NodeForwarding(nodes);
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith("/v2/") || path.equals("/v2");
    }

    @Override
    public void handle(Exchange ex, String path) {
        String model = path.startsWith(MODELS) ? path.substring(MODELS.length()) : null;
        if (model != null && path.endsWith(INFER_SUFFIX)) {
            if (ex.requireMethod(HttpMethod.POST, "predictions")) {
                infer(ex);
            }
            return;
        }
        boolean known = path.equals("/v2")
                || path.equals("/v2/")
                || path.equals("/v2/health/live")
                || path.equals("/v2/health/ready")
                || model != null && (singleSegment(model, READY_SUFFIX) || singleSegment(model, ""));
        if (!known) {
            ex.error(
                    new EngineException(
                            EngineException.Kind.NOT_FOUND, "no such endpoint: " + ex.method() + " " + path),
                    "unknown");
            return;
        }
        if (!ex.requireMethod(HttpMethod.GET, path.startsWith(MODELS) ? "metadata" : "unknown")) {
            return;
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            forwarding.serverMetadata(ex);
        } else if (path.equals("/v2/health/live")) {
            ex.write(HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, null, null);
        } else if (path.equals("/v2/health/ready")) {
            readiness
                    .check()
                    .whenComplete((notReady, e) -> ex.write(
                            notReady != null && notReady.isEmpty()
                                    ? HttpResponseStatus.OK
                                    : HttpResponseStatus.SERVICE_UNAVAILABLE,
                            Unpooled.EMPTY_BUFFER,
                            null,
                            null));
        } else if (singleSegment(model, READY_SUFFIX)) {
            forwarding.status(ex, model.substring(0, model.length() - READY_SUFFIX.length()));
        } else {
            forwarding.metadata(ex, model);
        }
    }

    /** {@code model} is one non-empty path segment followed by {@code suffix}. */
    private static boolean singleSegment(String model, String suffix) {
        int nameLength = model.length() - suffix.length();
        return nameLength > 0 && model.endsWith(suffix) && model.indexOf('/') == (suffix.isEmpty() ? -1 : nameLength);
    }

    private void infer(Exchange ex) {
        byte[] json;
        try {
            json = ByteBufUtil.getBytes(ex.request().content());
            if (json.length == 0) {
                throw EngineException.badRequest("empty request body: expected an inference request JSON");
            }
            V2Chain.checkRequest(json);
        } catch (EngineException e) {
            ex.error(e, "predictions", ex.headerPuid());
            return;
        }
        String puid = ex.headerPuid();
        predictions.predict(
                Message.trusted(json),
                puid,
                ex.propagatedHeaders(),
                ex.eventLoop(),
                ex.answer(Exchange.Service.INFER, puid));
    }
}
