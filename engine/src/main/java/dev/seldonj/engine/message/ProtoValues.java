package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Iterator;
import java.util.Map;

/**
 * Tag values between protobuf's {@code google.protobuf.Value} (gRPC meta) and Jackson trees (REST
 * meta), directly: what printing one as JSON and parsing it as the other gives, without the text.
 * Numbers are doubles on the protobuf side, as protobuf's JSON parser makes them.
 */
final class ProtoValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProtoValues() {}

    static Value value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (node.isTextual()) {
            return Value.newBuilder().setStringValue(node.textValue()).build();
        }
        if (node.isBoolean()) {
            return Value.newBuilder().setBoolValue(node.booleanValue()).build();
        }
        if (node.isNumber()) {
            return Value.newBuilder().setNumberValue(node.doubleValue()).build();
        }
        if (node.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            node.forEach(element -> list.addValues(value(element)));
            return Value.newBuilder().setListValue(list).build();
        }
        if (node.isObject()) {
            Struct.Builder struct = Struct.newBuilder();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                struct.putFields(f.getKey(), value(f.getValue()));
            }
            return Value.newBuilder().setStructValue(struct).build();
        }
        return Value.newBuilder().setStringValue(node.asText()).build();
    }

    static JsonNode json(Value value) {
        return switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> NODES.nullNode();
            case STRING_VALUE -> NODES.textNode(value.getStringValue());
            case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
            case NUMBER_VALUE -> NODES.numberNode(value.getNumberValue());
            case LIST_VALUE -> {
                ArrayNode array = NODES.arrayNode(value.getListValue().getValuesCount());
                value.getListValue().getValuesList().forEach(v -> array.add(json(v)));
                yield array;
            }
            case STRUCT_VALUE -> {
                ObjectNode object = NODES.objectNode();
                value.getStructValue().getFieldsMap().forEach((k, v) -> object.set(k, json(v)));
                yield object;
            }
        };
    }
}
