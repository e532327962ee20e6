package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * Scans the top level of a SeldonMessage JSON without building the payload: it records where each
 * top-level field lies in the bytes and parses only {@code meta} (with Jackson). With
 * {@code validate} it also checks the message's structure (field names, types, numbers in tensors)
 * and names the JSON path of the first problem. Payload arrays are checked and skipped byte by byte
 * ({@link JsonBytes}), with no tokens and no allocation.
 */
public final class SeldonJsonScanner {

    static final ObjectMapper MAPPER = new ObjectMapper();
    /** The largest value that is still a finite float once rounded (the document's maximum). */
    private static final double FLOAT_MAX = 3.4028235e38;

    private static final Set<String> STATUS_FLAGS = Set.of("SUCCESS", "FAILURE");
    private static final Set<String> METRIC_TYPES = Set.of("COUNTER", "GAUGE", "TIMER");
    private static final Set<String> DATA_ONEOF = Set.of("data", "binData", "strData", "jsonData", "customData");
    /** Field names met on every message, returned without allocating a string for them. */
    private static final String[] KNOWN_KEYS = {
        "data",
        "meta",
        "names",
        "ndarray",
        "tensor",
        "values",
        "shape",
        "strData",
        "binData",
        "jsonData",
        "status",
        "tftensor",
        "customData",
        "puid",
        "tags"
    };

    /** A structural problem in a message, with the JSON path where it was found. */
    public static final class InvalidJson extends Exception {
        InvalidJson(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] b;
    private final int end;

    private SeldonJsonScanner(byte[] b, int end) {
        this.b = b;
        this.end = end;
    }

    /**
     * The top-level layout of a JSON object.
     *
     * @param meta the parsed {@code meta} object, or null
     * @param spans start/end byte offsets of every other top-level member ({@code "name":value})
     */
    public record Layout(ObjectNode meta, int[] spans, int spanCount) {}

    public static Layout scan(byte[] json, boolean validate) throws InvalidJson {
        return scan(json, json.length, validate);
    }

    /** As {@link #scan(byte[], boolean)}, of the JSON in {@code json[0..end)}. */
    public static Layout scan(byte[] json, int end, boolean validate) throws InvalidJson {
        return new SeldonJsonScanner(json, end).message(validate);
    }

    private Layout message(boolean validate) throws InvalidJson {
        int i = ws(0);
        if (at(i) != '{') {
            int c = at(i);
            if (c == '[' || c == '"' || c == 't' || c == 'f' || c == 'n' || c == '-' || c >= '0' && c <= '9') {
                throw new InvalidJson("expected a JSON object, got " + JsonBytes.kind(b, i, end));
            }
            throw JsonBytes.invalid(b, i, end, "a JSON object");
        }
        ObjectNode meta = null;
        int[] spans = new int[4];
        int n = 0;
        String dataField = null;
        i = ws(i + 1);
        if (at(i) == '}') {
            i++;
        } else {
            while (true) {
                if (at(i) != '"') {
                    throw JsonBytes.invalid(b, i, end, "a field name");
                }
                int start = i;
                int keyEnd = JsonBytes.skipString(b, i, end);
                String name = key(i, keyEnd);
                i = ws(keyEnd);
                if (at(i) != ':') {
                    throw JsonBytes.invalid(b, i, end, "':'");
                }
                i = ws(i + 1);
                int valueEnd;
                if ("meta".equals(name)) {
                    if (at(i) != '{') {
                        throw new InvalidJson("meta: expected an object, got " + JsonBytes.kind(b, i, end));
                    }
                    valueEnd = JsonBytes.skipObject(b, i, end, 1);
                    meta = tree(i, valueEnd);
                    if (validate) {
                        checkMeta(meta);
                    }
                } else {
                    if (validate) {
                        if (DATA_ONEOF.contains(name)) {
                            if (dataField != null) {
                                throw new InvalidJson(
                                        name + ": only one of data, binData, strData, jsonData, customData may be set "
                                                + "(found " + dataField + " too)");
                            }
                            dataField = name;
                        }
                        valueEnd = checkTopLevel(name, i);
                    } else {
                        valueEnd = JsonBytes.skipValue(b, i, end, 1);
                    }
                    if (n + 2 > spans.length) {
                        spans = Arrays.copyOf(spans, spans.length * 2);
                    }
                    spans[n++] = start;
                    spans[n++] = valueEnd;
                }
                i = ws(valueEnd);
                if (at(i) == ',') {
                    i = ws(i + 1);
                } else if (at(i) == '}') {
                    i++;
                    break;
                } else {
                    throw JsonBytes.invalid(b, i, end, "',' or '}'");
                }
            }
        }
        i = ws(i);
        if (i != end) {
            throw new InvalidJson("invalid JSON at byte " + i + ": unexpected content after the JSON object");
        }
        return new Layout(meta, spans, n);
    }

    private int at(int i) {
        return i < end ? b[i] : -1;
    }

    private int ws(int i) {
        return JsonBytes.ws(b, i, end);
    }

    private String key(int start, int keyEnd) throws InvalidJson {
        int len = keyEnd - start - 2;
        for (String k : KNOWN_KEYS) {
            if (k.length() == len && matches(k, start + 1)) {
                return k;
            }
        }
        return key(b, start, keyEnd);
    }

    /** A JSON field name at {@code b[start..end)} (quotes included). */
    static String key(byte[] b, int start, int end) throws InvalidJson {
        String simple = JsonBytes.simpleString(b, start, end);
        if (simple != null) {
            return simple;
        }
        try {
            return MAPPER.readValue(b, start, end - start, String.class);
        } catch (IOException e) {
            throw new InvalidJson("invalid JSON at byte " + start + ": bad field name");
        }
    }

    private boolean matches(String ascii, int from) {
        for (int k = 0; k < ascii.length(); k++) {
            if (b[from + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode tree(int start, int valueEnd) throws InvalidJson {
        try {
            return (ObjectNode) MAPPER.readTree(b, start, valueEnd - start);
        } catch (IOException e) {
            throw new InvalidJson("invalid JSON in meta: " + JsonProblems.describe(e));
        }
    }

    /** Checks one element of an array; returns the index after it. */
    @FunctionalInterface
    private interface ElementCheck {
        int check(int i, int index) throws InvalidJson;
    }

    private int array(int i, String path, ElementCheck element) throws InvalidJson {
        if (at(i) != '[') {
            throw new InvalidJson(path + ": expected an array, got " + JsonBytes.kind(b, i, end));
        }
        i = ws(i + 1);
        if (at(i) == ']') {
            return i + 1;
        }
        for (int index = 0; ; index++) {
            i = ws(element.check(i, index));
            if (at(i) == ',') {
                i = ws(i + 1);
            } else if (at(i) == ']') {
                return i + 1;
            } else {
                throw JsonBytes.invalid(b, i, end, "',' or ']'");
            }
        }
    }

    /** Iterates the fields of an object; returns the index after it. */
    @FunctionalInterface
    private interface FieldCheck {
        int check(String name, int valueStart) throws InvalidJson;
    }

    private int object(int i, String path, FieldCheck field) throws InvalidJson {
        if (at(i) != '{') {
            throw new InvalidJson(path + ": expected an object, got " + JsonBytes.kind(b, i, end));
        }
        i = ws(i + 1);
        if (at(i) == '}') {
            return i + 1;
        }
        while (true) {
            if (at(i) != '"') {
                throw JsonBytes.invalid(b, i, end, "a field name");
            }
            int keyEnd = JsonBytes.skipString(b, i, end);
            String name = key(i, keyEnd);
            i = ws(keyEnd);
            if (at(i) != ':') {
                throw JsonBytes.invalid(b, i, end, "':'");
            }
            i = ws(field.check(name, ws(i + 1)));
            if (at(i) == ',') {
                i = ws(i + 1);
            } else if (at(i) == '}') {
                return i + 1;
            } else {
                throw JsonBytes.invalid(b, i, end, "',' or '}'");
            }
        }
    }

    private int checkTopLevel(String name, int i) throws InvalidJson {
        switch (name) {
            case "data":
                return checkData(i);
            case "binData":
            case "strData":
                if (at(i) != '"') {
                    throw new InvalidJson(name + ": expected a string, got " + JsonBytes.kind(b, i, end));
                }
                return JsonBytes.skipString(b, i, end);
            case "jsonData":
                return JsonBytes.skipValue(b, i, end, 1);
            case "customData": {
                if (at(i) != '{') {
                    throw new InvalidJson(name + ": expected an object, got " + JsonBytes.kind(b, i, end));
                }
                // A protobuf Any: without its type URL no component can read it.
                int anyEnd = JsonBytes.skipObject(b, i, end, 1);
                ObjectNode any = tree(i, anyEnd);
                JsonNode type = any.get("@type");
                if (type == null || !type.isTextual() || type.asText().isEmpty()) {
                    throw new InvalidJson(name + ".@type: expected the type URL of a protobuf Any (e.g. "
                            + "type.googleapis.com/google.protobuf.StringValue)");
                }
                checkWellKnownValue(type.asText(), any.get("value"));
                return anyEnd;
            }
            case "status": {
                if (at(i) != '{') {
                    throw new InvalidJson(name + ": expected an object, got " + JsonBytes.kind(b, i, end));
                }
                int statusEnd = JsonBytes.skipObject(b, i, end, 1);
                checkStatus(tree(i, statusEnd));
                return statusEnd;
            }
            default:
                throw new InvalidJson(name + ": unknown field (a SeldonMessage has status, meta, data, binData, "
                        + "strData, jsonData or customData)");
        }
    }

    private int checkData(int i) throws InvalidJson {
        String[] payload = {null};
        return object(i, "data", (field, v) -> {
            String path = "data." + field;
            int valueEnd = switch (field) {
                case "names" ->
                    array(v, path, (j, k) -> {
                        if (at(j) != '"') {
                            throw new InvalidJson(
                                    path + "[" + k + "]: expected a string, got " + JsonBytes.kind(b, j, end));
                        }
                        return JsonBytes.skipString(b, j, end);
                    });
                case "tensor" -> checkTensor(v);
                case "ndarray" -> {
                    if (at(v) != '[') {
                        throw new InvalidJson(path + ": expected an array, got " + JsonBytes.kind(b, v, end));
                    }
                    yield JsonBytes.skipArray(b, v, end, 1);
                }
                case "tftensor" -> {
                    if (at(v) != '{') {
                        throw new InvalidJson(path + ": expected an object, got " + JsonBytes.kind(b, v, end));
                    }
                    yield JsonBytes.skipObject(b, v, end, 1);
                }
                default ->
                    throw new InvalidJson(path + ": unknown field (data has names, tensor, ndarray or tftensor)");
            };
            if (!"names".equals(field)) {
                if (payload[0] != null) {
                    throw new InvalidJson(
                            path + ": only one of tensor, ndarray, tftensor may be set (found " + payload[0] + " too)");
                }
                payload[0] = field;
            }
            return valueEnd;
        });
    }

    private int checkTensor(int i) throws InvalidJson {
        boolean[] integral = new boolean[1];
        return object(i, "data.tensor", (field, v) -> {
            String path = "data.tensor." + field;
            if ("shape".equals(field)) {
                return array(v, path, (j, k) -> {
                    int c = at(j);
                    if (c == '-' || c >= '0' && c <= '9') {
                        int numberEnd = JsonBytes.number(b, j, end, integral);
                        if (integral[0]) {
                            return numberEnd;
                        }
                    }
                    throw new InvalidJson(path + "[" + k + "]: expected an integer, got " + JsonBytes.kind(b, j, end));
                });
            }
            if ("values".equals(field)) {
                return tensorValues(v, path);
            }
            throw new InvalidJson(path + ": unknown field (tensor has shape and values)");
        });
    }

    /** Tensor values: numbers (the bulk of a large tensor, checked in a loop of their own) or NaN/Infinity strings. */
    private int tensorValues(int i, String path) throws InvalidJson {
        if (at(i) != '[') {
            throw new InvalidJson(path + ": expected an array, got " + JsonBytes.kind(b, i, end));
        }
        i = ws(i + 1);
        if (at(i) == ']') {
            return i + 1;
        }
        int shortRuns = NumberRuns.vectorised() ? 0 : NumberRuns.SHORT_RUNS_PER_ARRAY;
        for (int index = 0; ; index++) {
            int c = at(i);
            if (c == '-' || c >= '0' && c <= '9') {
                if (shortRuns < NumberRuns.SHORT_RUNS_PER_ARRAY) {
                    long vouched = NumberRuns.vouch(b, i, end);
                    shortRuns += NumberRuns.isShort(vouched) ? 1 : 0;
                    if (NumberRuns.count(vouched) > 0) {
                        index += NumberRuns.count(vouched) - 1;
                        i = JsonBytes.vouchedEnd(b, vouched, end);
                        continue;
                    }
                }
                i = JsonBytes.number(b, i, end, null);
            } else {
                i = specialTensorValue(i, index, path);
            }
            i = ws(i);
            if (at(i) == ',') {
                i = ws(i + 1);
            } else if (at(i) == ']') {
                return i + 1;
            } else {
                throw JsonBytes.invalid(b, i, end, "',' or ']'");
            }
        }
    }

    private int specialTensorValue(int j, int index, String path) throws InvalidJson {
        int c = at(j);
        if (c == '"') {
            int stringEnd = JsonBytes.skipString(b, j, end);
            String s = JsonBytes.simpleString(b, j, stringEnd);
            if (isSpecialDouble(s)) {
                return stringEnd;
            }
        }
        if (c == 'N' || c == 'I') {
            throw JsonBytes.invalid(b, j, end, "a value");
        }
        throw new InvalidJson(path + "[" + index + "]: expected a number, got " + JsonBytes.kind(b, j, end));
    }

    private static boolean isSpecialDouble(String s) {
        return "NaN".equals(s) || "Infinity".equals(s) || "-Infinity".equals(s);
    }

    private static void checkMeta(ObjectNode meta) throws InvalidJson {
        var fields = meta.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            JsonNode v = f.getValue();
            String path = "meta." + f.getKey();
            switch (f.getKey()) {
                case "puid" -> {
                    expectNode(v.isTextual(), path, "a string", v);
                    String puid = v.asText();
                    for (int c = 0; c < puid.length(); c++) {
                        char ch = puid.charAt(c);
                        if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                            throw new InvalidJson(path + ": control character at index " + c
                                    + " (a puid travels as the " + "Seldon-Puid header)");
                        }
                    }
                }
                case "tags" -> expectNode(v.isObject(), path, "an object", v);
                case "routing" -> {
                    expectNode(v.isObject(), path, "an object", v);
                    var it = v.fields();
                    while (it.hasNext()) {
                        var r = it.next();
                        expectNode(
                                r.getValue().canConvertToInt() && r.getValue().isIntegralNumber(),
                                path + "." + r.getKey(),
                                "an integer",
                                r.getValue());
                    }
                }
                case "requestPath" -> {
                    expectNode(v.isObject(), path, "an object", v);
                    var it = v.fields();
                    while (it.hasNext()) {
                        var r = it.next();
                        expectNode(r.getValue().isTextual(), path + "." + r.getKey(), "a string", r.getValue());
                    }
                }
                case "metrics" -> checkMetrics(v, path);
                default ->
                    throw new InvalidJson(
                            path + ": unknown field (meta has puid, tags, routing, requestPath, metrics)");
            }
        }
    }

    /** The {@code value} of an Any holding a well-known wrapper or Struct has that type's JSON form (protobuf's reader is lenient). */
    private static void checkWellKnownValue(String typeUrl, JsonNode value) throws InvalidJson {
        if (value == null || !typeUrl.startsWith("type.googleapis.com/google.protobuf.")) {
            return;
        }
        String type = typeUrl.substring("type.googleapis.com/google.protobuf.".length());
        boolean ok = switch (type) {
            case "StringValue", "BytesValue" -> value.isTextual();
            case "BoolValue" -> value.isBoolean();
            case "DoubleValue", "FloatValue" -> value.isNumber();
            case "Int32Value", "Int64Value", "UInt32Value", "UInt64Value" ->
                value.isIntegralNumber() || value.isTextual();
            case "Struct" -> value.isObject();
            case "ListValue" -> value.isArray();
            default -> true;
        };
        if (!ok) {
            throw new InvalidJson("customData.value: expected the JSON form of google.protobuf." + type + ", got "
                    + value.getNodeType().name().toLowerCase());
        }
    }

    /** Seldon's {@code Status}: {@code code}, {@code info}, {@code reason}, {@code status} (SUCCESS or FAILURE). */
    private static void checkStatus(ObjectNode status) throws InvalidJson {
        var fields = status.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            JsonNode v = f.getValue();
            String path = "status." + f.getKey();
            switch (f.getKey()) {
                case "code" -> expectNode(v.isIntegralNumber() && v.canConvertToInt(), path, "an integer", v);
                case "info", "reason" -> expectNode(v.isTextual(), path, "a string", v);
                case "status" -> {
                    if (!v.isTextual() || !STATUS_FLAGS.contains(v.asText())) {
                        throw new InvalidJson(path + ": expected SUCCESS or FAILURE, got " + v);
                    }
                }
                default -> throw new InvalidJson(path + ": unknown field (status has code, info, reason, status)");
            }
        }
    }

    /** Seldon's {@code Metric}s: {@code {key, type: COUNTER|GAUGE|TIMER, value, tags}} (protobuf: each may be left out). */
    private static void checkMetrics(JsonNode v, String path) throws InvalidJson {
        expectNode(v.isArray(), path, "an array", v);
        for (int i = 0; i < v.size(); i++) {
            JsonNode m = v.get(i);
            String p = path + "[" + i + "]";
            expectNode(m.isObject(), p, "an object (a metric: key, type, value, tags)", m);
            var fields = m.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                JsonNode x = f.getValue();
                String fp = p + "." + f.getKey();
                switch (f.getKey()) {
                    case "key" -> expectNode(x.isTextual(), fp, "a string", x);
                    case "type" -> {
                        if (!x.isTextual() || !METRIC_TYPES.contains(x.asText())) {
                            throw new InvalidJson(fp + ": expected one of COUNTER, GAUGE, TIMER, got " + x);
                        }
                    }
                    case "value" ->
                        expectNode(
                                x.isNumber() && Math.abs(x.asDouble()) <= FLOAT_MAX,
                                fp,
                                "a number that fits a float (|value| <= 3.4028235e38)",
                                x);
                    case "tags" -> {
                        expectNode(x.isObject(), fp, "an object", x);
                        var tags = x.fields();
                        while (tags.hasNext()) {
                            var t = tags.next();
                            expectNode(t.getValue().isTextual(), fp + "." + t.getKey(), "a string", t.getValue());
                        }
                    }
                    default -> throw new InvalidJson(fp + ": unknown field (a metric has key, type, value, tags)");
                }
            }
        }
    }

    private static void expectNode(boolean ok, String path, String expected, JsonNode got) throws InvalidJson {
        if (!ok) {
            throw new InvalidJson(path + ": expected " + expected + ", got "
                    + got.getNodeType().name().toLowerCase());
        }
    }
}
