package dev.seldonj.engine.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * Scans the top level of a SeldonMessage JSON without building the payload: it records where each
 * top-level field lies in the bytes and parses only {@code meta}. With {@code validate} it also
 * checks the message's structure (field names, types, numbers in tensors) and names the JSON path of
 * the first problem; that walk tokenises but allocates nothing for the payload.
 */
public final class SeldonJsonScanner {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();
  private static final Set<String> DATA_ONEOF = Set.of("data", "binData", "strData", "jsonData", "customData");

  /** A structural problem in a message, with the JSON path where it was found. */
  public static final class InvalidJson extends Exception {
    InvalidJson(String message) {
      super(message, null, false, false);
    }
  }

  private SeldonJsonScanner() {}

  /**
   * The top-level layout of a JSON object.
   *
   * @param meta the parsed {@code meta} object, or null
   * @param spans start/end byte offsets of every other top-level member ({@code "name":value})
   */
  public record Layout(ObjectNode meta, int[] spans, int spanCount) {}

  public static Layout scan(byte[] json, boolean validate) throws InvalidJson {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new InvalidJson("expected a JSON object, got " + describe(t));
      }
      ObjectNode meta = null;
      int[] spans = new int[8];
      int n = 0;
      String dataField = null;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("meta".equals(name)) {
          if (value != JsonToken.START_OBJECT) {
            throw new InvalidJson("meta: expected an object, got " + describe(value));
          }
          JsonNode tree = MAPPER.readTree(p);
          meta = (ObjectNode) tree;
          if (validate) {
            checkMeta(meta);
          }
          continue;
        }
        if (validate) {
          if (DATA_ONEOF.contains(name)) {
            if (dataField != null) {
              throw new InvalidJson(name + ": only one of data, binData, strData, jsonData, customData may be set (found "
                  + dataField + " too)");
            }
            dataField = name;
          }
          checkTopLevel(p, name, value);
        } else {
          skipValue(p, value);
        }
        int end = (int) p.currentLocation().getByteOffset();
        if (n + 2 > spans.length) {
          spans = java.util.Arrays.copyOf(spans, spans.length * 2);
        }
        spans[n++] = start;
        spans[n++] = end;
      }
      if (t != JsonToken.END_OBJECT) {
        throw new InvalidJson("expected a field name or '}', got " + describe(t));
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new InvalidJson("unexpected content after the JSON object: " + describe(trailing));
      }
      return new Layout(meta, spans, n);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
      throw new InvalidJson("invalid JSON" + at + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidJson("cannot read JSON: " + e.getMessage());
    }
  }

  private static void skipValue(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      p.skipChildren();
    } else {
      p.finishToken();
    }
  }

  private static void checkTopLevel(JsonParser p, String name, JsonToken value) throws IOException, InvalidJson {
    switch (name) {
      case "data" -> checkData(p, value);
      case "binData", "strData" -> {
        expect(value == JsonToken.VALUE_STRING, name, "a string", value);
        p.finishToken();
      }
      case "jsonData" -> skipValue(p, value);
      case "customData", "status" -> {
        expect(value == JsonToken.START_OBJECT, name, "an object", value);
        p.skipChildren();
      }
      default -> throw new InvalidJson(name + ": unknown field (a SeldonMessage has status, meta, data, binData, "
          + "strData, jsonData or customData)");
    }
  }

  private static void checkData(JsonParser p, JsonToken value) throws IOException, InvalidJson {
    expect(value == JsonToken.START_OBJECT, "data", "an object", value);
    String payload = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      String path = "data." + field;
      switch (field) {
        case "names" -> checkStringArray(p, v, path);
        case "tensor" -> checkTensor(p, v);
        case "ndarray" -> {
          expect(v == JsonToken.START_ARRAY, path, "an array", v);
          p.skipChildren();
        }
        case "tftensor" -> {
          expect(v == JsonToken.START_OBJECT, path, "an object", v);
          p.skipChildren();
        }
        default -> throw new InvalidJson(path + ": unknown field (data has names, tensor, ndarray or tftensor)");
      }
      if (!"names".equals(field)) {
        if (payload != null) {
          throw new InvalidJson(path + ": only one of tensor, ndarray, tftensor may be set (found " + payload + " too)");
        }
        payload = field;
      }
    }
  }

  private static void checkTensor(JsonParser p, JsonToken v) throws IOException, InvalidJson {
    expect(v == JsonToken.START_OBJECT, "data.tensor", "an object", v);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken a = p.nextToken();
      String path = "data.tensor." + field;
      if (!"shape".equals(field) && !"values".equals(field)) {
        throw new InvalidJson(path + ": unknown field (tensor has shape and values)");
      }
      expect(a == JsonToken.START_ARRAY, path, "an array", a);
      int i = 0;
      JsonToken e;
      while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
        boolean ok = "shape".equals(field) ? e == JsonToken.VALUE_NUMBER_INT : e == JsonToken.VALUE_NUMBER_INT
            || e == JsonToken.VALUE_NUMBER_FLOAT || e == JsonToken.VALUE_STRING && isSpecialDouble(p.getText());
        if (!ok) {
          throw new InvalidJson(path + "[" + i + "]: expected " + ("shape".equals(field) ? "an integer" : "a number")
              + ", got " + describe(e));
        }
        i++;
      }
    }
  }

  private static boolean isSpecialDouble(String s) {
    return "NaN".equals(s) || "Infinity".equals(s) || "-Infinity".equals(s);
  }

  private static void checkStringArray(JsonParser p, JsonToken v, String path) throws IOException, InvalidJson {
    expect(v == JsonToken.START_ARRAY, path, "an array of strings", v);
    int i = 0;
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      expect(e == JsonToken.VALUE_STRING, path + "[" + i + "]", "a string", e);
      p.finishToken();
      i++;
    }
  }

  private static void checkMeta(ObjectNode meta) throws InvalidJson {
    var fields = meta.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      JsonNode v = f.getValue();
      String path = "meta." + f.getKey();
      switch (f.getKey()) {
        case "puid" -> expectNode(v.isTextual(), path, "a string", v);
        case "tags" -> expectNode(v.isObject(), path, "an object", v);
        case "routing" -> {
          expectNode(v.isObject(), path, "an object", v);
          var it = v.fields();
          while (it.hasNext()) {
            var r = it.next();
            expectNode(r.getValue().canConvertToInt() && r.getValue().isIntegralNumber(), path + "." + r.getKey(),
                "an integer", r.getValue());
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
        case "metrics" -> expectNode(v.isArray(), path, "an array", v);
        default -> throw new InvalidJson(path + ": unknown field (meta has puid, tags, routing, requestPath, metrics)");
      }
    }
  }

  private static void expect(boolean ok, String path, String expected, JsonToken got) throws InvalidJson {
    if (!ok) {
      throw new InvalidJson(path + ": expected " + expected + ", got " + describe(got));
    }
  }

  private static void expectNode(boolean ok, String path, String expected, JsonNode got) throws InvalidJson {
    if (!ok) {
      throw new InvalidJson(path + ": expected " + expected + ", got " + got.getNodeType().name().toLowerCase());
    }
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }
}
