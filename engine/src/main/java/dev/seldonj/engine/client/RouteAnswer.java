package dev.seldonj.engine.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Value;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.JsonProblems;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.io.IOException;

/**
 * Reads the branch out of a router's answer as Seldon does: the first element of
 * {@code data.ndarray} (nested arrays descended), {@code data.tensor.values}, {@code data.tftensor
 * .intVal}, or of a bare JSON array of integers; for v2 and tensorflow routers, of the first output
 * tensor or of {@code predictions}.
 */
public final class RouteAnswer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RouteAnswer() {}

    public static int fromJson(byte[] json, String node) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw invalid(node, "not JSON: " + JsonProblems.describe(e));
        }
        JsonNode first = null;
        if (root != null && root.isArray()) {
            first = firstLeaf(root);
        } else if (root != null && root.path("outputs").path(0).isObject()) {
            first = firstLeaf(root.path("outputs").path(0).path("data"));
        } else if (root != null && (root.has("predictions") || root.has("outputs"))) {
            // TensorFlow Serving's row ({"predictions": [[1]]}) or columnar ({"outputs": [[1]]}) answer
            first = firstLeaf(root.has("predictions") ? root.get("predictions") : root.get("outputs"));
        } else if (root != null && root.has("data")) {
            JsonNode data = root.get("data");
            if (data.has("ndarray")) {
                first = firstLeaf(data.get("ndarray"));
            } else if (data.has("tensor")) {
                first = firstLeaf(data.path("tensor").path("values"));
            } else if (data.has("tftensor")) {
                first = firstLeaf(data.path("tftensor").path("intVal"));
            }
        }
        if (first == null || !first.isNumber()) {
            throw invalid(
                    node,
                    "expected a routing number in data.ndarray, data.tensor, data.tftensor.intVal, outputs or "
                            + "predictions");
        }
        return toBranch(first.asDouble(), node);
    }

    public static int fromProto(SeldonMessage m, String node) {
        DefaultData d = m.getData();
        double v;
        if (d.hasNdarray() && d.getNdarray().getValuesCount() > 0) {
            Value first = d.getNdarray().getValues(0);
            while (first.hasListValue() && first.getListValue().getValuesCount() > 0) {
                first = first.getListValue().getValues(0);
            }
            if (!first.hasNumberValue()) {
                throw invalid(node, "data.ndarray does not start with a number");
            }
            v = first.getNumberValue();
        } else if (d.hasTensor() && d.getTensor().getValuesCount() > 0) {
            v = d.getTensor().getValues(0);
        } else if (d.hasTftensor() && d.getTftensor().getIntValCount() > 0) {
            v = d.getTftensor().getIntVal(0);
        } else {
            throw invalid(node, "expected a routing number in data.ndarray, data.tensor or data.tftensor.intVal");
        }
        return toBranch(v, node);
    }

    private static JsonNode firstLeaf(JsonNode n) {
        JsonNode cur = n;
        while (cur != null && cur.isArray()) {
            if (cur.isEmpty()) {
                return null;
            }
            cur = cur.get(0);
        }
        return cur;
    }

    private static int toBranch(double v, String node) {
        if (v != Math.rint(v)) {
            throw invalid(node, "routing value " + v + " is not an integer");
        }
        return (int) v;
    }

    private static EngineException invalid(String node, String why) {
        return new EngineException(
                EngineException.Kind.INVALID_ROUTING, "router '" + node + "' answered an invalid route: " + why);
    }
}
