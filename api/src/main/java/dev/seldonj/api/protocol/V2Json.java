package dev.seldonj.api.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferParameter;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferTensorContents;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol (v2) REST JSON form of {@code ModelInferRequest} and
 * {@code ModelInferResponse}: tensors as {@code {name, shape, datatype, parameters, data}} with
 * {@code data} flat or nested in row-major order, as MLServer, Triton and KServe read and write it.
 * Parsing checks data types and element counts and names the JSON path of every fault.
 */
public final class V2Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Data types with a JSON form (FP16 travels only as raw bytes). */
    private static final Set<String> JSON_DATATYPES = Set.of(
            "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP32", "FP64", "BYTES");

    private V2Json() {}

    // ---- requests

    public static ModelInferRequest parseRequest(byte[] json) {
        JsonNode root = SeldonJson.tree(json);
        requireObject(root, "");
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = e.getKey();
            JsonNode v = e.getValue();
            switch (p) {
                case "id" -> b.setId(text(v, p));
                case "model_name" -> b.setModelName(text(v, p));
                case "model_version" -> b.setModelVersion(text(v, p));
                case "parameters" -> b.putAllParameters(parameters(v, p));
                case "inputs" -> {
                    requireArray(v, p);
                    for (int i = 0; i < v.size(); i++) {
                        Tensor t = tensor(v.get(i), p + "[" + i + "]");
                        b.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                .setName(t.name)
                                .setDatatype(t.datatype)
                                .addAllShape(t.shape)
                                .putAllParameters(t.parameters)
                                .setContents(t.contents));
                    }
                }
                case "outputs" -> {
                    requireArray(v, p);
                    for (int i = 0; i < v.size(); i++) {
                        String op = p + "[" + i + "]";
                        requireObject(v.get(i), op);
                        var out = ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                                .setName(text(v.get(i).path("name"), op + ".name"));
                        if (v.get(i).has("parameters")) {
                            out.putAllParameters(parameters(v.get(i).get("parameters"), op + ".parameters"));
                        }
                        b.addOutputs(out);
                    }
                }
                default ->
                    throw new SeldonJsonException(p, "unknown field (expected one of id, parameters, inputs, outputs)");
            }
        }
        if (b.getInputsCount() == 0) {
            throw new SeldonJsonException("inputs", "at least one input tensor is required");
        }
        return b.build();
    }

    public static String printRequest(ModelInferRequest request) {
        ObjectNode root = NODES.objectNode();
        if (!request.getId().isEmpty()) {
            root.put("id", request.getId());
        }
        if (request.getParametersCount() > 0) {
            root.set("parameters", parameters(request.getParametersMap()));
        }
        ArrayNode inputs = root.putArray("inputs");
        for (int i = 0; i < request.getInputsCount(); i++) {
            var in = request.getInputs(i);
            ByteString raw = i < request.getRawInputContentsCount() ? request.getRawInputContents(i) : null;
            inputs.add(tensorJson(
                    in.getName(),
                    in.getShapeList(),
                    in.getDatatype(),
                    in.getParametersMap(),
                    in.getContents(),
                    raw,
                    "inputs[" + i + "]"));
        }
        if (request.getOutputsCount() > 0) {
            ArrayNode outputs = root.putArray("outputs");
            for (var out : request.getOutputsList()) {
                ObjectNode o = outputs.addObject().put("name", out.getName());
                if (out.getParametersCount() > 0) {
                    o.set("parameters", parameters(out.getParametersMap()));
                }
            }
        }
        return write(root);
    }

    // ---- responses

    public static ModelInferResponse parseResponse(byte[] json) {
        JsonNode root = SeldonJson.tree(json);
        requireObject(root, "");
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = e.getKey();
            JsonNode v = e.getValue();
            switch (p) {
                case "id" -> b.setId(text(v, p));
                case "model_name" -> b.setModelName(text(v, p));
                case "model_version" -> b.setModelVersion(text(v, p));
                case "parameters" -> b.putAllParameters(parameters(v, p));
                case "outputs" -> {
                    requireArray(v, p);
                    for (int i = 0; i < v.size(); i++) {
                        Tensor t = tensor(v.get(i), p + "[" + i + "]");
                        b.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                                .setName(t.name)
                                .setDatatype(t.datatype)
                                .addAllShape(t.shape)
                                .putAllParameters(t.parameters)
                                .setContents(t.contents));
                    }
                }
                default ->
                    throw new SeldonJsonException(
                            p, "unknown field (expected one of model_name, model_version, id, parameters, outputs)");
            }
        }
        return b.build();
    }

    public static String printResponse(ModelInferResponse response) {
        ObjectNode root = NODES.objectNode();
        root.put("model_name", response.getModelName());
        if (!response.getModelVersion().isEmpty()) {
            root.put("model_version", response.getModelVersion());
        }
        if (!response.getId().isEmpty()) {
            root.put("id", response.getId());
        }
        if (response.getParametersCount() > 0) {
            root.set("parameters", parameters(response.getParametersMap()));
        }
        ArrayNode outputs = root.putArray("outputs");
        for (int i = 0; i < response.getOutputsCount(); i++) {
            var out = response.getOutputs(i);
            ByteString raw = i < response.getRawOutputContentsCount() ? response.getRawOutputContents(i) : null;
            outputs.add(tensorJson(
                    out.getName(),
                    out.getShapeList(),
                    out.getDatatype(),
                    out.getParametersMap(),
                    out.getContents(),
                    raw,
                    "outputs[" + i + "]"));
        }
        return write(root);
    }

    // ---- tensors

    private record Tensor(
            String name,
            String datatype,
            List<Long> shape,
            Map<String, InferParameter> parameters,
            InferTensorContents contents) {}

    private static Tensor tensor(JsonNode node, String path) {
        requireObject(node, path);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("name", "shape", "datatype", "parameters", "data").contains(name)) {
                throw new SeldonJsonException(
                        path + "." + name, "unknown field (expected one of name, shape, datatype, parameters, data)");
            }
        }
        String name = text(node.path("name"), path + ".name");
        String datatype = text(node.path("datatype"), path + ".datatype");
        JsonNode shapeNode = node.path("shape");
        requireArray(shapeNode, path + ".shape");
        List<Long> shape = new ArrayList<>();
        long count = 1;
        for (int i = 0; i < shapeNode.size(); i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.isIntegralNumber() || dim.asLong() < 0) {
                throw new SeldonJsonException(
                        path + ".shape[" + i + "]", "expected a dimension (an integer >= 0), got " + dim);
            }
            shape.add(dim.asLong());
            count *= dim.asLong();
        }
        List<JsonNode> flat = new ArrayList<>();
        JsonNode data = node.path("data");
        if (data.isMissingNode()) {
            throw new SeldonJsonException(path + ".data", "required field is missing");
        }
        flatten(data, path + ".data", flat);
        if (flat.size() != count) {
            throw new SeldonJsonException(
                    path + ".data", "shape " + shape + " needs " + count + " elements, got " + flat.size());
        }
        Map<String, InferParameter> parameters =
                node.has("parameters") ? parameters(node.get("parameters"), path + ".parameters") : Map.of();
        return new Tensor(name, datatype, shape, parameters, contents(datatype, flat, path));
    }

    private static void flatten(JsonNode data, String path, List<JsonNode> out) {
        if (data.isArray()) {
            for (JsonNode item : data) {
                flatten(item, path, out);
            }
        } else {
            out.add(data);
        }
    }

    private static InferTensorContents contents(String datatype, List<JsonNode> values, String path) {
        if ("FP16".equals(datatype)) {
            throw new SeldonJsonException(path + ".datatype", "FP16 has no JSON form: send it as binary data");
        }
        if (!JSON_DATATYPES.contains(datatype)) {
            throw new SeldonJsonException(
                    path + ".datatype",
                    "\"" + datatype
                            + "\" is not one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES");
        }
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        String dataPath = path + ".data";
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            String p = dataPath + "[" + i + "]";
            switch (datatype) {
                case "BOOL" -> {
                    if (!v.isBoolean()) {
                        throw new SeldonJsonException(p, "expected true or false for BOOL, got " + v);
                    }
                    c.addBoolContents(v.asBoolean());
                }
                case "INT8", "INT16", "INT32" ->
                    c.addIntContents((int) integer(v, p, datatype, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case "INT64" -> c.addInt64Contents(integer(v, p, datatype, Long.MIN_VALUE, Long.MAX_VALUE));
                case "UINT8", "UINT16", "UINT32" -> c.addUintContents((int) integer(v, p, datatype, 0, 0xFFFFFFFFL));
                case "UINT64" -> c.addUint64Contents(integer(v, p, datatype, 0, Long.MAX_VALUE));
                case "FP32" -> c.addFp32Contents((float) number(v, p, datatype));
                case "FP64" -> c.addFp64Contents(number(v, p, datatype));
                case "BYTES" -> {
                    if (!v.isTextual()) {
                        throw new SeldonJsonException(p, "expected a string for BYTES, got " + v);
                    }
                    c.addBytesContents(ByteString.copyFromUtf8(v.asText()));
                }
                default -> throw new IllegalStateException("unchecked datatype " + datatype);
            }
        }
        return c.build();
    }

    private static ObjectNode tensorJson(
            String name,
            List<Long> shape,
            String datatype,
            Map<String, InferParameter> params,
            InferTensorContents contents,
            ByteString raw,
            String path) {
        ObjectNode t = NODES.objectNode();
        t.put("name", name);
        ArrayNode s = t.putArray("shape");
        shape.forEach(s::add);
        t.put("datatype", datatype);
        if (!params.isEmpty()) {
            t.set("parameters", parameters(params));
        }
        ArrayNode data = t.putArray("data");
        if (raw != null && !raw.isEmpty()) {
            addRaw(data, datatype, raw, path);
            return t;
        }
        switch (datatype) {
            case "BOOL" -> contents.getBoolContentsList().forEach(data::add);
            case "INT8", "INT16", "INT32" -> contents.getIntContentsList().forEach(data::add);
            case "INT64" -> contents.getInt64ContentsList().forEach(data::add);
            case "UINT8", "UINT16", "UINT32" ->
                contents.getUintContentsList().forEach(v -> data.add(Integer.toUnsignedLong(v)));
            case "UINT64" ->
                contents.getUint64ContentsList()
                        .forEach(v -> data.add(NODES.numberNode(new BigInteger(Long.toUnsignedString(v)))));
            case "FP32" -> contents.getFp32ContentsList().forEach(data::add);
            case "FP64" -> contents.getFp64ContentsList().forEach(data::add);
            case "BYTES" -> contents.getBytesContentsList().forEach(v -> data.add(v.toStringUtf8()));
            default ->
                throw new SeldonJsonException(path + ".datatype", "\"" + datatype + "\" cannot be written as JSON");
        }
        return t;
    }

    /** Raw little-endian tensor bytes (gRPC {@code raw_*_contents}) as JSON numbers. */
    private static void addRaw(ArrayNode data, String datatype, ByteString raw, String path) {
        ByteBuffer buf = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (datatype) {
            case "BOOL" -> {
                while (buf.hasRemaining()) {
                    data.add(buf.get() != 0);
                }
            }
            case "INT8" -> {
                while (buf.hasRemaining()) {
                    data.add(buf.get());
                }
            }
            case "UINT8" -> {
                while (buf.hasRemaining()) {
                    data.add(buf.get() & 0xFF);
                }
            }
            case "INT16" -> {
                while (buf.remaining() >= 2) {
                    data.add(buf.getShort());
                }
            }
            case "UINT16" -> {
                while (buf.remaining() >= 2) {
                    data.add(buf.getShort() & 0xFFFF);
                }
            }
            case "INT32" -> {
                while (buf.remaining() >= 4) {
                    data.add(buf.getInt());
                }
            }
            case "UINT32" -> {
                while (buf.remaining() >= 4) {
                    data.add(Integer.toUnsignedLong(buf.getInt()));
                }
            }
            case "INT64" -> {
                while (buf.remaining() >= 8) {
                    data.add(buf.getLong());
                }
            }
            case "UINT64" -> {
                while (buf.remaining() >= 8) {
                    data.add(NODES.numberNode(new BigInteger(Long.toUnsignedString(buf.getLong()))));
                }
            }
            case "FP32" -> {
                while (buf.remaining() >= 4) {
                    data.add(buf.getFloat());
                }
            }
            case "FP64" -> {
                while (buf.remaining() >= 8) {
                    data.add(buf.getDouble());
                }
            }
            case "BYTES" -> {
                // Each element: a 4-byte little-endian length, then the bytes.
                while (buf.remaining() >= 4) {
                    int len = buf.getInt();
                    if (len < 0 || len > buf.remaining()) {
                        throw new SeldonJsonException(path, "raw BYTES element length " + len + " exceeds the data");
                    }
                    byte[] bytes = new byte[len];
                    buf.get(bytes);
                    data.add(new String(bytes, StandardCharsets.UTF_8));
                }
            }
            default ->
                throw new SeldonJsonException(path + ".datatype", "\"" + datatype + "\" cannot be written as JSON");
        }
    }

    // ---- parameters and scalars

    /** A JSON {@code parameters} object as protobuf parameters (nested values as their JSON text). */
    public static Map<String, InferParameter> parseParameters(JsonNode node, String path) {
        return parameters(node, path);
    }

    /** Protobuf parameters as their JSON object. */
    public static ObjectNode printParameters(Map<String, InferParameter> params) {
        return parameters(params);
    }

    private static Map<String, InferParameter> parameters(JsonNode node, String path) {
        requireObject(node, path);
        Map<String, InferParameter> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            InferParameter.Builder p = InferParameter.newBuilder();
            if (v.isBoolean()) {
                p.setBoolParam(v.asBoolean());
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                p.setInt64Param(v.asLong());
            } else if (v.isNumber()) {
                p.setDoubleParam(v.asDouble());
            } else if (v.isTextual()) {
                p.setStringParam(v.asText());
            } else {
                // Nested parameter values (e.g. MLServer's content_type hints are strings; anything else) travel as
                // JSON text.
                p.setStringParam(v.toString());
            }
            out.put(e.getKey(), p.build());
        });
        return out;
    }

    private static ObjectNode parameters(Map<String, InferParameter> params) {
        ObjectNode o = NODES.objectNode();
        params.forEach((k, v) -> {
            switch (v.getParameterChoiceCase()) {
                case BOOL_PARAM -> o.put(k, v.getBoolParam());
                case INT64_PARAM -> o.put(k, v.getInt64Param());
                case STRING_PARAM -> o.put(k, v.getStringParam());
                case DOUBLE_PARAM -> o.put(k, v.getDoubleParam());
                case UINT64_PARAM -> o.put(k, new BigInteger(Long.toUnsignedString(v.getUint64Param())));
                default -> o.putNull(k);
            }
        });
        return o;
    }

    private static long integer(JsonNode v, String path, String datatype, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new SeldonJsonException(path, "expected an integer for " + datatype + ", got " + v);
        }
        return v.asLong();
    }

    private static double number(JsonNode v, String path, String datatype) {
        if (!v.isNumber()) {
            throw new SeldonJsonException(path, "expected a number for " + datatype + ", got " + v);
        }
        return v.asDouble();
    }

    private static String text(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw new SeldonJsonException(
                    path, v.isMissingNode() ? "required field is missing" : "expected a string, got " + v);
        }
        return v.asText();
    }

    private static void requireObject(JsonNode v, String path) {
        if (!v.isObject()) {
            throw new SeldonJsonException(path, "expected an object, got " + (v.isArray() ? "an array" : v.toString()));
        }
    }

    private static void requireArray(JsonNode v, String path) {
        if (!v.isArray()) {
            throw new SeldonJsonException(
                    path,
                    v.isMissingNode()
                            ? "required field is missing"
                            : "expected an array, got " + (v.isObject() ? "an object" : v.toString()));
        }
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
