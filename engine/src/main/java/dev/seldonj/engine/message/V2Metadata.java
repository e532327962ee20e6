package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.protocol.SeldonJsonException;
import dev.seldonj.api.protocol.V2Json;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerMetadataResponse;
import java.io.IOException;
import java.util.List;

/**
 * The Open Inference Protocol's server and model metadata in both forms, for a node whose transport is not
 * the client's: the REST JSON as MLServer writes it and the gRPC messages
 * (MLServer's {@code parameters} included). A node's answer that does not fit is the node's fault, named.
 */
public final class V2Metadata {

    private V2Metadata() {}

    public static byte[] json(ServerMetadataResponse m) {
        ObjectNode o = SeldonJsonScanner.MAPPER.createObjectNode();
        o.put("name", m.getName());
        o.put("version", m.getVersion());
        ArrayNode extensions = o.putArray("extensions");
        m.getExtensionsList().forEach(extensions::add);
        return write(o);
    }

    public static ServerMetadataResponse serverProto(String node, byte[] json) {
        JsonNode root = read(node, json);
        ServerMetadataResponse.Builder b = ServerMetadataResponse.newBuilder()
                .setName(text(node, root, "name"))
                .setVersion(text(node, root, "version"));
        for (JsonNode e : array(node, root, "extensions")) {
            b.addExtensions(e.asText());
        }
        return b.build();
    }

    /** As MLServer writes it: every field, {@code parameters} when there are any (a protobuf map has no presence). */
    public static byte[] json(ModelMetadataResponse m) {
        ObjectNode o = SeldonJsonScanner.MAPPER.createObjectNode();
        o.put("name", m.getName());
        ArrayNode versions = o.putArray("versions");
        m.getVersionsList().forEach(versions::add);
        o.put("platform", m.getPlatform());
        tensors(o.putArray("inputs"), m.getInputsList());
        tensors(o.putArray("outputs"), m.getOutputsList());
        if (m.getParametersCount() > 0) {
            o.set("parameters", V2Json.printParameters(m.getParametersMap()));
        }
        return write(o);
    }

    public static ModelMetadataResponse modelProto(String node, byte[] json) {
        JsonNode root = read(node, json);
        ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder()
                .setName(text(node, root, "name"))
                .setPlatform(text(node, root, "platform"));
        array(node, root, "versions").forEach(v -> b.addVersions(v.asText()));
        try {
            if (root.has("parameters")) {
                b.putAllParameters(V2Json.parseParameters(root.get("parameters"), "parameters"));
            }
            for (String side : new String[] {"inputs", "outputs"}) {
                JsonNode list = array(node, root, side);
                for (int i = 0; i < list.size(); i++) {
                    ModelMetadataResponse.TensorMetadata t = tensor(node, list.get(i), side + "[" + i + "]");
                    if (side.equals("inputs")) {
                        b.addInputs(t);
                    } else {
                        b.addOutputs(t);
                    }
                }
            }
        } catch (SeldonJsonException e) {
            throw invalid(node, e.getMessage());
        }
        return b.build();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(String node, JsonNode t, String path) {
        if (!t.isObject()) {
            throw invalid(node, path + ": expected an object");
        }
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(text(node, t, "name"))
                .setDatatype(text(node, t, "datatype"));
        for (JsonNode d : array(node, t, "shape")) {
            if (!d.canConvertToLong()) {
                throw invalid(node, path + ".shape: expected integers, got " + d);
            }
            b.addShape(d.asLong());
        }
        if (t.has("parameters")) {
            b.putAllParameters(V2Json.parseParameters(t.get("parameters"), path + ".parameters"));
        }
        return b.build();
    }

    private static void tensors(ArrayNode out, List<ModelMetadataResponse.TensorMetadata> tensors) {
        for (ModelMetadataResponse.TensorMetadata t : tensors) {
            ObjectNode o = out.addObject().put("name", t.getName()).put("datatype", t.getDatatype());
            ArrayNode shape = o.putArray("shape");
            t.getShapeList().forEach(shape::add);
            if (t.getParametersCount() > 0) {
                o.set("parameters", V2Json.printParameters(t.getParametersMap()));
            }
        }
    }

    private static JsonNode read(String node, byte[] json) {
        try {
            JsonNode root = SeldonJsonScanner.MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw invalid(node, "expected a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw invalid(node, "invalid JSON: " + JsonProblems.describe(e));
        }
    }

    private static String text(String node, JsonNode o, String field) {
        JsonNode v = o.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw invalid(node, field + ": expected a string, got " + v);
        }
        return v.asText();
    }

    private static JsonNode array(String node, JsonNode o, String field) {
        JsonNode v = o.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return SeldonJsonScanner.MAPPER.createArrayNode();
        }
        if (!v.isArray()) {
            throw invalid(node, field + ": expected an array, got " + v);
        }
        return v;
    }

    private static EngineException invalid(String node, String detail) {
        return new EngineException(
                EngineException.Kind.INVALID_RESPONSE,
                "node '" + node + "' answered metadata that is " + "not the Open Inference Protocol's: " + detail);
    }

    private static byte[] write(JsonNode o) {
        try {
            return SeldonJsonScanner.MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
