package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;

/**
 * A TensorFlow {@code TensorProto} as TensorFlow Serving's REST API writes a tensor: nested JSON
 * arrays in row-major order, strings as text (binary ones as {@code {"b64": ...}}). From protobuf
 * to JSON is exact; from JSON the data type is inferred, because TF REST JSON carries none: numbers
 * with a fraction or exponent make DT_FLOAT, integers only DT_INT64, then DT_BOOL and DT_STRING.
 */
final class TensorProtoJson {

    /** A tensor that cannot be converted, with the JSON path of the problem. */
    static final class Unconvertible extends RuntimeException {
        Unconvertible(String message) {
            super(message, null, false, false);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TensorProtoJson() {}

    // ---- protobuf -> JSON

    static JsonNode toJson(TensorProto t, String path) {
        List<Long> shape = new ArrayList<>();
        for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
            if (d.getSize() < 0) {
                throw new Unconvertible(path + ": dimension " + shape.size() + " has an unknown size");
            }
            shape.add(d.getSize());
        }
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        List<JsonNode> flat = values(t, count, path);
        if (shape.isEmpty()) {
            return flat.get(0);
        }
        int[] next = {0};
        return nest(flat, shape, 0, next);
    }

    private static JsonNode nest(List<JsonNode> flat, List<Long> shape, int dim, int[] next) {
        ArrayNode a = NODES.arrayNode();
        for (long i = 0; i < shape.get(dim); i++) {
            a.add(dim == shape.size() - 1 ? flat.get(next[0]++) : nest(flat, shape, dim + 1, next));
        }
        return a;
    }

    /** The tensor's {@code count} values, flat; one value given for many is repeated, as TensorFlow reads it. */
    private static List<JsonNode> values(TensorProto t, long count, String path) {
        List<JsonNode> given = t.getTensorContent().isEmpty() ? typedValues(t, path) : contentValues(t, path);
        if (given.size() == count) {
            return given;
        }
        if (given.size() <= 1 && count > 0) {
            JsonNode fill = given.isEmpty() ? zero(t.getDtype(), path) : given.get(0);
            List<JsonNode> out = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                out.add(fill);
            }
            return out;
        }
        throw new Unconvertible(path + ": the shape needs " + count + " values, the tensor has " + given.size());
    }

    private static List<JsonNode> typedValues(TensorProto t, String path) {
        List<JsonNode> out = new ArrayList<>();
        switch (t.getDtype()) {
            case DT_FLOAT -> t.getFloatValList().forEach(v -> out.add(NODES.numberNode(v)));
            case DT_DOUBLE -> t.getDoubleValList().forEach(v -> out.add(NODES.numberNode(v)));
            case DT_INT32, DT_INT16, DT_INT8, DT_UINT8, DT_UINT16 ->
                t.getIntValList().forEach(v -> out.add(NODES.numberNode(v)));
            case DT_INT64 -> t.getInt64ValList().forEach(v -> out.add(NODES.numberNode(v)));
            case DT_UINT32 -> t.getUint32ValList().forEach(v -> out.add(NODES.numberNode(Integer.toUnsignedLong(v))));
            case DT_UINT64 ->
                t.getUint64ValList().forEach(v -> out.add(NODES.numberNode(new BigInteger(Long.toUnsignedString(v)))));
            case DT_BOOL -> t.getBoolValList().forEach(v -> out.add(NODES.booleanNode(v)));
            case DT_STRING -> t.getStringValList().forEach(v -> out.add(string(v)));
            default -> throw unsupported(t.getDtype(), path);
        }
        return out;
    }

    /** {@code tensor_content}: the values as little-endian bytes. */
    private static List<JsonNode> contentValues(TensorProto t, String path) {
        ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<JsonNode> out = new ArrayList<>();
        switch (t.getDtype()) {
            case DT_FLOAT -> {
                while (b.remaining() >= 4) {
                    out.add(NODES.numberNode(b.getFloat()));
                }
            }
            case DT_DOUBLE -> {
                while (b.remaining() >= 8) {
                    out.add(NODES.numberNode(b.getDouble()));
                }
            }
            case DT_INT32 -> {
                while (b.remaining() >= 4) {
                    out.add(NODES.numberNode(b.getInt()));
                }
            }
            case DT_INT64 -> {
                while (b.remaining() >= 8) {
                    out.add(NODES.numberNode(b.getLong()));
                }
            }
            case DT_INT16 -> {
                while (b.remaining() >= 2) {
                    out.add(NODES.numberNode(b.getShort()));
                }
            }
            case DT_UINT16 -> {
                while (b.remaining() >= 2) {
                    out.add(NODES.numberNode(b.getShort() & 0xFFFF));
                }
            }
            case DT_INT8 -> {
                while (b.hasRemaining()) {
                    out.add(NODES.numberNode(b.get()));
                }
            }
            case DT_UINT8 -> {
                while (b.hasRemaining()) {
                    out.add(NODES.numberNode(b.get() & 0xFF));
                }
            }
            case DT_UINT32 -> {
                while (b.remaining() >= 4) {
                    out.add(NODES.numberNode(Integer.toUnsignedLong(b.getInt())));
                }
            }
            case DT_BOOL -> {
                while (b.hasRemaining()) {
                    out.add(NODES.booleanNode(b.get() != 0));
                }
            }
            default -> throw unsupported(t.getDtype(), path);
        }
        return out;
    }

    private static JsonNode zero(DataType type, String path) {
        return switch (type) {
            case DT_FLOAT, DT_DOUBLE -> NODES.numberNode(0.0);
            case DT_INT32, DT_INT16, DT_INT8, DT_UINT8, DT_UINT16, DT_INT64, DT_UINT32, DT_UINT64 ->
                NODES.numberNode(0);
            case DT_BOOL -> NODES.booleanNode(false);
            case DT_STRING -> NODES.textNode("");
            default -> throw unsupported(type, path);
        };
    }

    /** Text when the bytes are UTF-8, else TF Serving's binary form {@code {"b64": ...}}. */
    private static JsonNode string(ByteString v) {
        try {
            return NODES.textNode(StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(v.asReadOnlyByteBuffer())
                    .toString());
        } catch (CharacterCodingException e) {
            return NODES.objectNode().put("b64", Base64.getEncoder().encodeToString(v.toByteArray()));
        }
    }

    private static Unconvertible unsupported(DataType type, String path) {
        return new Unconvertible(path + ": " + type + " has no JSON form in this engine");
    }

    // ---- JSON -> protobuf

    static TensorProto fromJson(JsonNode value, String path) {
        List<Long> shape = new ArrayList<>();
        List<JsonNode> flat = new ArrayList<>();
        shapeOf(value, shape);
        flatten(value, shape, 0, path, flat);
        TensorProto.Builder t = TensorProto.newBuilder();
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        shape.forEach(d -> s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d)));
        t.setTensorShape(s);
        DataType type = typeOf(flat, path);
        t.setDtype(type);
        for (JsonNode v : flat) {
            switch (type) {
                case DT_FLOAT -> t.addFloatVal(v.floatValue());
                case DT_INT64 -> t.addInt64Val(v.longValue());
                case DT_BOOL -> t.addBoolVal(v.booleanValue());
                default ->
                    t.addStringVal(
                            v.isTextual()
                                    ? ByteString.copyFromUtf8(v.textValue())
                                    : ByteString.copyFrom(Base64.getDecoder()
                                            .decode(v.get("b64").textValue())));
            }
        }
        return t.build();
    }

    /** The shape, read along the first element of every level. */
    private static void shapeOf(JsonNode v, List<Long> shape) {
        JsonNode cur = v;
        while (cur.isArray()) {
            shape.add((long) cur.size());
            if (cur.isEmpty()) {
                return;
            }
            cur = cur.get(0);
        }
    }

    /** The values in row-major order; every level must match the shape (no ragged arrays). */
    private static void flatten(JsonNode v, List<Long> shape, int dim, String path, List<JsonNode> out) {
        if (dim == shape.size()) {
            if (v.isArray()) {
                throw new Unconvertible(path + ": expected a value, got an array (ragged nesting)");
            }
            out.add(v);
            return;
        }
        if (!v.isArray() || v.size() != shape.get(dim)) {
            throw new Unconvertible(
                    path + ": expected an array of " + shape.get(dim) + " (the tensor is not rectangular)");
        }
        for (int i = 0; i < v.size(); i++) {
            flatten(v.get(i), shape, dim + 1, path + "[" + i + "]", out);
        }
    }

    private static DataType typeOf(List<JsonNode> flat, String path) {
        boolean numbers = true;
        boolean integers = true;
        boolean bools = true;
        boolean strings = true;
        for (int i = 0; i < flat.size(); i++) {
            JsonNode v = flat.get(i);
            numbers &= v.isNumber();
            integers &= v.isIntegralNumber() && v.canConvertToLong();
            bools &= v.isBoolean();
            strings &= v.isTextual()
                    || v.isObject() && v.size() == 1 && v.path("b64").isTextual();
            if (!numbers && !bools && !strings) {
                throw new Unconvertible(path + ": element " + i + " (" + v + ") does not fit: a tensor holds numbers, "
                        + "booleans or strings, of one kind");
            }
        }
        if (flat.isEmpty() || numbers && !integers) {
            return DataType.DT_FLOAT;
        }
        return numbers ? DataType.DT_INT64 : bools ? DataType.DT_BOOL : DataType.DT_STRING;
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }
}
