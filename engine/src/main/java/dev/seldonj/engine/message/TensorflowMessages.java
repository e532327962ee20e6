package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.core.EngineException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/**
 * TensorFlow Serving payloads in either form: REST JSON, or the {@code PredictRequest} and
 * {@code PredictResponse} protobufs that pass between gRPC steps untouched (an answer's
 * {@code outputs} becoming the next request's {@code inputs}, as Seldon's executor chains them).
 * A gRPC request reaching REST nodes is written as TF's columnar JSON ({@code {"inputs": {...}}},
 * exact); a REST answer going back to a gRPC client is read with inferred data types.
 */
public final class TensorflowMessages {

    private TensorflowMessages() {}

    /** The message as a REST node's request body. */
    public static byte[] requestJson(Message m, String node) {
        return TensorflowJson.asRequest(json(m), node);
    }

    /** The message as JSON, as it is: a request columnar {@code inputs}, an answer columnar {@code outputs}. */
    public static byte[] json(Message m) {
        if (m.protocolProto() instanceof PredictRequest r) {
            ObjectNode root = TensorProtoJson.object();
            if (!r.getModelSpec().getSignatureName().isEmpty()) {
                root.put("signature_name", r.getModelSpec().getSignatureName());
            }
            root.set("inputs", tensors(r.getInputsMap(), "inputs"));
            return write(root);
        }
        if (m.protocolProto() instanceof PredictResponse r) {
            ObjectNode root = TensorProtoJson.object();
            root.set("outputs", tensors(r.getOutputsMap(), "outputs"));
            return write(root);
        }
        return m.jsonBytes();
    }

    /** The message as the request of gRPC node {@code node}: a request untouched, an answer chained. */
    public static PredictRequest requestProto(Message m, String node) {
        if (m.protocolProto() instanceof PredictRequest r) {
            return r;
        }
        if (m.protocolProto() instanceof PredictResponse r) {
            return PredictRequest.newBuilder()
                    .setModelSpec(ModelSpec.newBuilder().setName(node))
                    .putAllInputs(r.getOutputsMap())
                    .build();
        }
        throw new EngineException(
                EngineException.Kind.UNSUPPORTED,
                "node '" + node + "' is a TensorFlow Serving gRPC "
                        + "node: send this graph gRPC PredictionService/Predict requests (TF REST JSON carries no data types to build "
                        + "its tensors from)");
    }

    /** The message as a gRPC client's answer; a REST answer's tensors get inferred data types. */
    public static PredictResponse responseProto(Message m) {
        if (m.protocolProto() instanceof PredictResponse r) {
            return r;
        }
        if (m.protocolProto() instanceof PredictRequest r) {
            return PredictResponse.newBuilder()
                    .setModelSpec(r.getModelSpec())
                    .putAllOutputs(r.getInputsMap())
                    .build();
        }
        JsonNode root;
        try {
            root = SeldonJsonScanner.MAPPER.readTree(m.jsonBytes());
        } catch (IOException e) {
            throw new EngineException(
                    EngineException.Kind.INVALID_RESPONSE,
                    "invalid TensorFlow answer JSON: " + JsonProblems.describe(e));
        }
        PredictResponse.Builder out = PredictResponse.newBuilder();
        try {
            for (String field : new String[] {"outputs", "predictions", "inputs", "instances"}) {
                JsonNode v = root == null ? null : root.get(field);
                if (v != null) {
                    addTensors(out, v, field, field.equals("predictions") || field.equals("instances"));
                    return out.build();
                }
            }
        } catch (TensorProtoJson.Unconvertible e) {
            throw new EngineException(
                    EngineException.Kind.INVALID_RESPONSE, "cannot answer a TensorFlow gRPC client: " + e.getMessage());
        }
        throw new EngineException(
                EngineException.Kind.INVALID_RESPONSE,
                "cannot answer a TensorFlow gRPC client: the " + "graph's answer has neither outputs nor predictions");
    }

    /**
     * Columnar values ({@code {"name": tensor}} or one unnamed tensor), or row values ({@code [{"name": v}, ...]}
     * or {@code [v, ...]}), as named output tensors; an unnamed tensor is named after its field.
     */
    private static void addTensors(PredictResponse.Builder out, JsonNode v, String field, boolean rows) {
        if (rows
                && v.isArray()
                && v.size() > 0
                && v.get(0).isObject()
                && !v.get(0).has("b64")) {
            for (Iterator<String> names = v.get(0).fieldNames(); names.hasNext(); ) {
                String name = names.next();
                ArrayNode column = TensorProtoJson.array();
                for (int i = 0; i < v.size(); i++) {
                    if (!v.get(i).has(name)) {
                        throw new TensorProtoJson.Unconvertible(
                                field + "[" + i + "]." + name + ": missing (every row needs the " + "same names)");
                    }
                    column.add(v.get(i).get(name));
                }
                out.putOutputs(name, TensorProtoJson.fromJson(column, field + "[*]." + name));
            }
        } else if (!rows && v.isObject() && !v.has("b64")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.putOutputs(e.getKey(), TensorProtoJson.fromJson(e.getValue(), field + "." + e.getKey()));
            }
        } else {
            out.putOutputs(field, TensorProtoJson.fromJson(v, field));
        }
    }

    private static ObjectNode tensors(Map<String, TensorProto> tensors, String field) {
        ObjectNode o = TensorProtoJson.object();
        try {
            tensors.forEach((name, t) -> o.set(name, TensorProtoJson.toJson(t, field + "." + name)));
        } catch (TensorProtoJson.Unconvertible e) {
            throw EngineException.badRequest("cannot write the tensor as TF REST JSON: " + e.getMessage());
        }
        return o;
    }

    private static byte[] write(JsonNode root) {
        try {
            return SeldonJsonScanner.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "cannot write JSON: " + JsonProblems.describe(e));
        }
    }
}
