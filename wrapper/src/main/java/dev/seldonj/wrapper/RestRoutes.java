package dev.seldonj.wrapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.api.protocol.SeldonJsonException;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seldon's internal REST API with the Python wrapper's paths, request forms and error bodies, independent of the
 * HTTP server: a read request in, an answer out. Runs the component, so it is called on worker threads only.
 */
final class RestRoutes implements RestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RestRoutes.class);
    private static final JsonFormat.Printer METADATA_PRINTER =
            JsonFormat.printer().includingDefaultValueFields().omittingInsignificantWhitespace();

    private final ComponentService service;
    private final WrapperTracing tracing;
    private final Map<String, Function<JsonNode, SeldonMessage>> messageRoutes;

    RestRoutes(ComponentService service, WrapperTracing tracing) {
        this.service = service;
        this.tracing = tracing;
        this.messageRoutes = Map.of(
                "/predict", n -> service.predict(SeldonJson.message(n, "")),
                "/api/v1.0/predictions", n -> service.predict(SeldonJson.message(n, "")),
                "/api/v0.1/predictions", n -> service.predict(SeldonJson.message(n, "")),
                "/transform-input", n -> service.transformInput(SeldonJson.message(n, "")),
                "/transform-output", n -> service.transformOutput(SeldonJson.message(n, "")),
                "/route", n -> service.route(SeldonJson.message(n, "")),
                "/aggregate", n -> service.aggregate(SeldonJson.messageList(n, "")),
                "/send-feedback", n -> service.sendFeedback(SeldonJson.feedback(n, "")),
                "/api/v1.0/feedback", n -> service.sendFeedback(SeldonJson.feedback(n, "")),
                "/api/v0.1/feedback", n -> service.sendFeedback(SeldonJson.feedback(n, "")));
    }

    @Override
    public RestAnswer answer(
            String method, String path, String rawQuery, Function<String, String> header, byte[] body) {
        try {
            Function<JsonNode, SeldonMessage> route = messageRoutes.get(path);
            if (route != null && (method.equals("POST") || method.equals("GET"))) {
                JsonNode request = RequestBodies.json(header.apply("Content-Type"), rawQuery, body);
                SeldonMessage answer =
                        tracing.call(path.substring(path.lastIndexOf('/') + 1), header, () -> route.apply(request));
                return RestAnswer.json(statusOf(answer), SeldonJson.printBytes(answer));
            } else if (method.equals("GET") && path.equals("/health/ping")) {
                return new RestAnswer(
                        200, "text/plain; charset=utf-8", "pong".getBytes(StandardCharsets.UTF_8), 0, false);
            } else if (method.equals("GET")
                    && (path.equals("/health/status") || path.equals("/api/v1.0/health/status"))) {
                return RestAnswer.json(200, SeldonJson.printBytes(service.healthStatus()));
            } else if (method.equals("GET") && (path.equals("/metadata") || path.equals("/api/v1.0/metadata"))) {
                return RestAnswer.json(200, metadataJson());
            } else if (route != null || isKnown(path)) {
                return RestAnswer.error(405, "method " + method + " is not allowed on " + path, "METHOD_NOT_ALLOWED");
            }
            return RestAnswer.error(404, "no such path: " + path, "NOT_FOUND");
        } catch (SeldonJsonException e) {
            return RestAnswer.error(400, e.getMessage(), SeldonComponentException.BAD_DATA);
        } catch (SeldonComponentException e) {
            return RestAnswer.error(e.httpStatus(), e.getMessage(), e.reason());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            return RestAnswer.error(500, String.valueOf(e.getMessage()), SeldonComponentException.INTERNAL_ERROR);
        } catch (OutOfMemoryError e) {
            // The last line behind the body budget: this request fails, the component and its other requests go on.
            LOG.error("{} {} ran out of memory", method, path);
            return RestAnswer.busy(
                    "the component is out of memory for this request; retry later", "OUT_OF_MEMORY", false);
        }
    }

    private static boolean isKnown(String path) {
        return path.equals("/health/ping")
                || path.equals("/health/status")
                || path.equals("/api/v1.0/health/status")
                || path.equals("/metadata")
                || path.equals("/api/v1.0/metadata");
    }

    /** As the Python wrapper: an answer carrying {@code status.code} is sent with that HTTP status. */
    private static int statusOf(SeldonMessage answer) {
        int code = answer.hasStatus() ? answer.getStatus().getCode() : 0;
        return code >= 100 && code <= 599 ? code : 200;
    }

    private byte[] metadataJson() {
        try {
            return METADATA_PRINTER.print(service.metadata()).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new SeldonComponentException(
                    "model metadata cannot be written: " + e.getMessage(), 500, "MICROSERVICE_BAD_METADATA");
        }
    }
}
