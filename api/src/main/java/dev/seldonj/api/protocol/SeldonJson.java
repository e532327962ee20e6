package dev.seldonj.api.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Empty;
import com.google.protobuf.FloatValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.PredictionProtos.Status;
import io.seldon.protos.PredictionProtos.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.framework.TensorProto;

/**
 * The Seldon protocol's JSON form: protobuf's JSON mapping of {@code seldon.protos} (as Seldon's
 * wrappers and executor write it), with {@code data.ndarray} as plain nested arrays and
 * {@code jsonData} as any JSON value. Parsing reports the JSON path of every fault, e.g.
 * {@code data.tensor.values[2]: expected a number, got "x"}; printing is protobuf's JSON printer.
 */
public final class SeldonJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /**
     * The protobuf well-known types, so that a {@code customData} (an Any) holding one reads and writes as JSON
     * (an Any of a type the registry lacks cannot be read or written at all).
     */
    public static final JsonFormat.TypeRegistry WELL_KNOWN_TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(List.of(
                    Struct.getDescriptor(),
                    Value.getDescriptor(),
                    ListValue.getDescriptor(),
                    StringValue.getDescriptor(),
                    BytesValue.getDescriptor(),
                    BoolValue.getDescriptor(),
                    DoubleValue.getDescriptor(),
                    FloatValue.getDescriptor(),
                    Int32Value.getDescriptor(),
                    Int64Value.getDescriptor(),
                    UInt32Value.getDescriptor(),
                    UInt64Value.getDescriptor(),
                    Timestamp.getDescriptor(),
                    Duration.getDescriptor(),
                    Empty.getDescriptor()))
            .build();

    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().usingTypeRegistry(WELL_KNOWN_TYPES).omittingInsignificantWhitespace();
    private static final JsonFormat.Parser SUBTREE_PARSER = JsonFormat.parser().usingTypeRegistry(WELL_KNOWN_TYPES);
    private static final Set<String> PAYLOADS = Set.of("data", "binData", "strData", "jsonData", "customData");

    private SeldonJson() {}

    // ---- reading

    public static SeldonMessage parseMessage(byte[] json) {
        return message(tree(json), "");
    }

    public static SeldonMessage parseMessage(String json) {
        return parseMessage(json.getBytes(StandardCharsets.UTF_8));
    }

    public static Feedback parseFeedback(byte[] json) {
        return feedback(tree(json), "");
    }

    public static Feedback parseFeedback(String json) {
        return parseFeedback(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A message list, as {@code {"seldonMessages": [...]}} or, as Seldon's executor sends it, a bare array. */
    public static SeldonMessageList parseMessageList(byte[] json) {
        return messageList(tree(json), "");
    }

    public static SeldonMessageList parseMessageList(String json) {
        return parseMessageList(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A parsed JSON tree; syntax errors name their line and column. */
    public static JsonNode tree(byte[] json) {
        if (json == null || json.length == 0) {
            throw new SeldonJsonException("", "empty body: expected a JSON object");
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new SeldonJsonException(where, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SeldonJsonException("", "unreadable body: " + e.getMessage());
        }
    }

    public static SeldonMessage message(JsonNode node, String path) {
        SeldonMessage.Builder b = SeldonMessage.newBuilder();
        String[] payload = {null};
        readFields(node, path, (key, v, p) -> {
            if (PAYLOADS.contains(key)) {
                if (payload[0] != null) {
                    throw new SeldonJsonException(
                            p,
                            "only one of data, binData, strData, jsonData, customData may be set (" + payload[0]
                                    + " is set too)");
                }
                payload[0] = key;
            }
            switch (key) {
                case "status" -> b.setStatus(status(v, p));
                case "meta" -> b.setMeta(meta(v, p));
                case "data" -> b.setData(defaultData(v, p));
                case "binData" -> b.setBinData(ByteString.copyFrom(base64(v, p)));
                case "strData" -> b.setStrData(text(v, p));
                case "jsonData" -> b.setJsonData(value(v));
                case "customData" ->
                    b.setCustomData(subtree(v, p, Any.newBuilder()).build());
                default -> throw unknown(p, "status, meta, data, binData, strData, jsonData, customData");
            }
        });
        return b.build();
    }

    public static Feedback feedback(JsonNode node, String path) {
        Feedback.Builder b = Feedback.newBuilder();
        readFields(node, path, (key, v, p) -> {
            switch (key) {
                case "request" -> b.setRequest(message(v, p));
                case "response" -> b.setResponse(message(v, p));
                case "truth" -> b.setTruth(message(v, p));
                case "reward" -> b.setReward((float) number(v, p));
                default -> throw unknown(p, "request, response, reward, truth");
            }
        });
        return b.build();
    }

    public static SeldonMessageList messageList(JsonNode node, String path) {
        JsonNode items = node;
        String itemsPath = path;
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!"seldonMessages".equals(name)) {
                    throw unknown(child(path, name), "seldonMessages");
                }
            }
            items = node.path("seldonMessages");
            itemsPath = child(path, "seldonMessages");
            if (items.isMissingNode() || items.isNull()) {
                return SeldonMessageList.getDefaultInstance();
            }
        }
        requireArray(items, itemsPath);
        SeldonMessageList.Builder b = SeldonMessageList.newBuilder();
        for (int i = 0; i < items.size(); i++) {
            b.addSeldonMessages(message(items.get(i), itemsPath + "[" + i + "]"));
        }
        return b.build();
    }

    private static Status status(JsonNode node, String path) {
        Status.Builder b = Status.newBuilder();
        readFields(node, path, (key, v, p) -> {
            switch (key) {
                case "code" -> b.setCode(int32(v, p));
                case "info" -> b.setInfo(text(v, p));
                case "reason" -> b.setReason(text(v, p));
                case "status" -> b.setStatus(statusFlag(v, p));
                default -> throw unknown(p, "code, info, reason, status");
            }
        });
        return b.build();
    }

    private static Status.StatusFlag statusFlag(JsonNode v, String path) {
        if (v.isTextual()) {
            try {
                return Status.StatusFlag.valueOf(v.asText());
            } catch (IllegalArgumentException e) {
                throw new SeldonJsonException(path, describe(v) + " is not SUCCESS or FAILURE");
            }
        }
        Status.StatusFlag flag = Status.StatusFlag.forNumber(int32(v, path));
        if (flag == null) {
            throw new SeldonJsonException(path, v + " is not SUCCESS (0) or FAILURE (1)");
        }
        return flag;
    }

    private static Meta meta(JsonNode node, String path) {
        Meta.Builder b = Meta.newBuilder();
        readFields(node, path, (key, v, p) -> {
            switch (key) {
                case "puid" -> b.setPuid(text(v, p));
                case "tags" -> {
                    requireObject(v, p);
                    v.fields().forEachRemaining(t -> b.putTags(t.getKey(), value(t.getValue())));
                }
                case "routing" -> {
                    requireObject(v, p);
                    v.fields()
                            .forEachRemaining(r -> b.putRouting(r.getKey(), int32(r.getValue(), child(p, r.getKey()))));
                }
                case "requestPath" -> {
                    requireObject(v, p);
                    v.fields()
                            .forEachRemaining(r ->
                                    b.putRequestPath(r.getKey(), text(r.getValue(), child(p, r.getKey()))));
                }
                case "metrics" -> {
                    requireArray(v, p);
                    for (int i = 0; i < v.size(); i++) {
                        b.addMetrics(metric(v.get(i), p + "[" + i + "]"));
                    }
                }
                default -> throw unknown(p, "puid, tags, routing, requestPath, metrics");
            }
        });
        return b.build();
    }

    private static Metric metric(JsonNode node, String path) {
        Metric.Builder b = Metric.newBuilder();
        readFields(node, path, (key, v, p) -> {
            switch (key) {
                case "key" -> b.setKey(text(v, p));
                case "type" -> b.setType(metricType(v, p));
                case "value" -> b.setValue((float) number(v, p));
                case "tags" -> {
                    requireObject(v, p);
                    v.fields().forEachRemaining(t -> b.putTags(t.getKey(), text(t.getValue(), child(p, t.getKey()))));
                }
                default -> throw unknown(p, "key, type, value, tags");
            }
        });
        return b.build();
    }

    private static Metric.MetricType metricType(JsonNode v, String path) {
        if (v.isTextual()) {
            try {
                return Metric.MetricType.valueOf(v.asText());
            } catch (IllegalArgumentException e) {
                throw new SeldonJsonException(path, describe(v) + " is not COUNTER, GAUGE or TIMER");
            }
        }
        Metric.MetricType type = Metric.MetricType.forNumber(int32(v, path));
        if (type == null) {
            throw new SeldonJsonException(path, v + " is not COUNTER (0), GAUGE (1) or TIMER (2)");
        }
        return type;
    }

    private static DefaultData defaultData(JsonNode node, String path) {
        DefaultData.Builder b = DefaultData.newBuilder();
        String[] payload = {null};
        readFields(node, path, (key, v, p) -> {
            if (!"names".equals(key)) {
                if (payload[0] != null
                        && Set.of("tensor", "ndarray", "tftensor").contains(key)) {
                    throw new SeldonJsonException(
                            p, "only one of tensor, ndarray, tftensor may be set (" + payload[0] + " is set too)");
                }
                payload[0] = key;
            }
            switch (key) {
                case "names" -> {
                    requireArray(v, p);
                    for (int i = 0; i < v.size(); i++) {
                        b.addNames(text(v.get(i), p + "[" + i + "]"));
                    }
                }
                case "tensor" -> b.setTensor(tensor(v, p));
                case "ndarray" -> {
                    requireArray(v, p);
                    b.setNdarray(value(v).getListValue());
                }
                case "tftensor" ->
                    b.setTftensor(subtree(v, p, TensorProto.newBuilder()).build());
                default -> throw unknown(p, "names, tensor, ndarray, tftensor");
            }
        });
        return b.build();
    }

    private static Tensor tensor(JsonNode node, String path) {
        Tensor.Builder b = Tensor.newBuilder();
        readFields(node, path, (key, v, p) -> {
            switch (key) {
                case "shape" -> {
                    requireArray(v, p);
                    for (int i = 0; i < v.size(); i++) {
                        int dim = int32(v.get(i), p + "[" + i + "]");
                        if (dim < 0) {
                            throw new SeldonJsonException(
                                    p + "[" + i + "]", "a dimension cannot be negative, got " + dim);
                        }
                        b.addShape(dim);
                    }
                }
                case "values" -> {
                    requireArray(v, p);
                    for (int i = 0; i < v.size(); i++) {
                        b.addValues(number(v.get(i), p + "[" + i + "]"));
                    }
                }
                default -> throw unknown(p, "shape, values");
            }
        });
        if (b.getShapeCount() > 0) {
            long expected = 1;
            for (int dim : b.getShapeList()) {
                expected *= dim;
            }
            if (expected != b.getValuesCount()) {
                throw new SeldonJsonException(
                        path,
                        "shape " + b.getShapeList() + " needs " + expected + " values, got " + b.getValuesCount());
            }
        }
        return b.build();
    }

    /** Any JSON value as a protobuf Value (numbers as doubles, as protobuf's Struct does). */
    public static Value value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (v.isNumber()) {
            return Value.newBuilder().setNumberValue(v.asDouble()).build();
        }
        if (v.isTextual()) {
            return Value.newBuilder().setStringValue(v.asText()).build();
        }
        if (v.isBoolean()) {
            return Value.newBuilder().setBoolValue(v.asBoolean()).build();
        }
        if (v.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            v.forEach(item -> list.addValues(value(item)));
            return Value.newBuilder().setListValue(list).build();
        }
        Struct.Builder struct = Struct.newBuilder();
        v.fields().forEachRemaining(e -> struct.putFields(e.getKey(), value(e.getValue())));
        return Value.newBuilder().setStructValue(struct).build();
    }

    /** A protobuf Value as a JSON tree: the inverse of {@link #value(JsonNode)}. */
    public static JsonNode json(Value v) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (v.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> nodes.nullNode();
            case STRING_VALUE -> nodes.textNode(v.getStringValue());
            case BOOL_VALUE -> nodes.booleanNode(v.getBoolValue());
            case NUMBER_VALUE -> nodes.numberNode(v.getNumberValue());
            case LIST_VALUE -> {
                ArrayNode array = nodes.arrayNode(v.getListValue().getValuesCount());
                v.getListValue().getValuesList().forEach(item -> array.add(json(item)));
                yield array;
            }
            case STRUCT_VALUE -> {
                ObjectNode object = nodes.objectNode();
                v.getStructValue().getFieldsMap().forEach((k, item) -> object.set(k, json(item)));
                yield object;
            }
        };
    }

    // ---- writing

    /** Compact JSON in protobuf's JSON mapping, as Seldon's Go executor and Python codecs write it. */
    public static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only an Any with an unregistered type gets here.
            throw new SeldonJsonException("customData", "cannot be written: " + e.getMessage());
        }
    }

    public static byte[] printBytes(Message message) {
        return print(message).getBytes(StandardCharsets.UTF_8);
    }

    /** A FAILURE status message, the body Seldon answers errors with. */
    public static SeldonMessage failure(int code, String reason, String info) {
        return SeldonMessage.newBuilder()
                .setStatus(Status.newBuilder()
                        .setCode(code)
                        .setReason(reason == null ? "" : reason)
                        .setInfo(info == null ? "" : info)
                        .setStatus(Status.StatusFlag.FAILURE))
                .build();
    }

    // ---- helpers

    /** Receives one set field of a JSON object: its name, its value and its path. */
    @FunctionalInterface
    private interface FieldReader {
        void read(String key, JsonNode value, String path);
    }

    /** Calls the reader for each field of an object; a null field is "not set", as in protobuf's JSON mapping. */
    private static void readFields(JsonNode node, String path, FieldReader reader) {
        requireObject(node, path);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                reader.read(e.getKey(), e.getValue(), child(path, e.getKey()));
            }
        }
    }

    private static <B extends Message.Builder> B subtree(JsonNode v, String path, B builder) {
        requireObject(v, path);
        try {
            SUBTREE_PARSER.merge(v.toString(), builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new SeldonJsonException(path, e.getMessage());
        }
    }

    private static byte[] base64(JsonNode v, String path) {
        String s = text(v, path);
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(s); // protobuf's JSON mapping accepts both alphabets
            } catch (IllegalArgumentException e2) {
                throw new SeldonJsonException(path, "not base64: " + e.getMessage());
            }
        }
    }

    private static String text(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw new SeldonJsonException(path, "expected a string, got " + describe(v));
        }
        return v.asText();
    }

    private static double number(JsonNode v, String path) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            // protobuf's JSON mapping writes NaN and infinities as strings
            switch (v.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new SeldonJsonException(path, "expected a number, got " + describe(v));
    }

    private static int int32(JsonNode v, String path) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.asInt();
        }
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) <= Integer.MAX_VALUE) {
            return (int) v.asDouble();
        }
        if (v.isTextual() && v.asText().matches("-?\\d{1,10}")) {
            try {
                return Integer.parseInt(v.asText());
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new SeldonJsonException(path, "expected a 32-bit integer, got " + describe(v));
    }

    private static void requireObject(JsonNode v, String path) {
        if (!v.isObject()) {
            throw new SeldonJsonException(path, "expected an object, got " + describe(v));
        }
    }

    private static void requireArray(JsonNode v, String path) {
        if (!v.isArray()) {
            throw new SeldonJsonException(path, "expected an array, got " + describe(v));
        }
    }

    private static SeldonJsonException unknown(String path, String known) {
        return new SeldonJsonException(path, "unknown field (expected one of " + known + ")");
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isTextual()) {
            String s = v.asText();
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        return v.toString();
    }
}
