package dev.seldonj.engine.server;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.TensorflowJson;
import dev.seldonj.engine.message.TensorflowMessages;
import dev.seldonj.engine.plan.PlanNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.CompletableFuture;

/**
 * TensorFlow Serving's REST API for graphs of protocol {@code tensorflow}, as Seldon's executor
 * serves it: {@code POST /v1/models/{model}:predict} (also {@code /v1/models/{model}/:predict}) runs
 * the graph from the node named {@code model}, {@code /v1/models:predict} and {@code /v1/models/:predict}
 * from its root; {@code GET /v1/models/{model}} and {@code /v1/models/{model}/metadata} are forwarded
 * to the node. Payloads pass as bytes; a step's {@code predictions} become the next step's {@code instances}.
 */
public final class TensorflowRoutes implements RestRoutes {

    private static final String MODELS = "/v1/models";
    private static final String PREDICT = ":predict";
    private static final String METADATA = "/metadata";

    private final Predictions predictions;
    private final NodesByName nodes;
    private final NodeForwarding forwarding;
    private final PlanNode root;

    public TensorflowRoutes(Predictions predictions, NodesByName nodes, PlanNode root) {
        this.predictions = predictions;
        this.nodes = nodes;
        this.forwarding = new NodeForwarding(nodes);
        this.root = root;
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith(MODELS)
                && (path.length() == MODELS.length()
                        || path.charAt(MODELS.length()) == '/'
                        || path.charAt(MODELS.length()) == ':');
    }

    @Override
    public void handle(Exchange ex, String path) {
        FullHttpRequest req = ex.request();
        String tail = path.substring(MODELS.length());
        if (tail.endsWith(PREDICT)) {
            if (req.method() != HttpMethod.POST) {
                ex.error(notFound(req, path, "use POST"), "predictions");
                return;
            }
            String model = trimSlashes(tail.substring(0, tail.length() - PREDICT.length()));
            predict(ex, model);
            return;
        }
        String model = trimSlashes(tail);
        boolean metadata = model.endsWith(METADATA);
        if (metadata) {
            model = model.substring(0, model.length() - METADATA.length());
        }
        String service = metadata ? "metadata" : "status";
        if (model.isEmpty() || model.indexOf('/') >= 0) {
            ex.error(notFound(req, path, "expected /v1/models/{model} or /v1/models/{model}/metadata"), service);
        } else if (req.method() != HttpMethod.GET) {
            ex.error(notFound(req, path, "use GET"), service);
        } else if (metadata) {
            forwarding.metadata(ex, model);
        } else {
            forwarding.status(ex, model);
        }
    }

    private void predict(Exchange ex, String model) {
        String puid = ex.headerPuid();
        String[] answerPuid = {puid};
        CompletableFuture<ByteBuf> body;
        try {
            PlanNode from = model.isEmpty() ? root : nodes.get(model);
            byte[] json = ByteBufUtil.getBytes(ex.request().content());
            TensorflowJson.checkRequest(json);
            // Converted (copied) before the request's buffers are released.
            body = predictions.predict(
                    from, Message.trusted(json), puid, ex.propagatedHeaders(), ex.eventLoop(), (m, rc) -> {
                        answerPuid[0] = rc.puid();
                        return Unpooled.wrappedBuffer(TensorflowMessages.json(m));
                    });
        } catch (EngineException e) {
            body = CompletableFuture.failedFuture(e);
        }
        ex.reply("predictions", body, answerPuid);
    }

    private static String trimSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }

    private static EngineException notFound(FullHttpRequest req, String path, String hint) {
        return new EngineException(
                EngineException.Kind.NOT_FOUND, "no such endpoint: " + req.method() + " " + path + " (" + hint + ")");
    }
}
