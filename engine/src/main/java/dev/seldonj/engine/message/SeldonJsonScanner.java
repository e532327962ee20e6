package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
    int i = JsonBytes.ws(json, 0);
    if (at(json, i) != '{') {
      int c = at(json, i);
      if (c == '[' || c == '"' || c == 't' || c == 'f' || c == 'n' || c == '-' || c >= '0' && c <= '9') {
        throw new InvalidJson("expected a JSON object, got " + JsonBytes.kind(json, i));
      }
      throw JsonBytes.invalid(json, i, "a JSON object");
    }
    ObjectNode meta = null;
    int[] spans = new int[8];
    int n = 0;
    String dataField = null;
    i = JsonBytes.ws(json, i + 1);
    if (at(json, i) == '}') {
      i++;
    } else {
      while (true) {
        if (at(json, i) != '"') {
          throw JsonBytes.invalid(json, i, "a field name");
        }
        int start = i;
        int keyEnd = JsonBytes.skipString(json, i);
        String name = key(json, i, keyEnd);
        i = JsonBytes.ws(json, keyEnd);
        if (at(json, i) != ':') {
          throw JsonBytes.invalid(json, i, "':'");
        }
        i = JsonBytes.ws(json, i + 1);
        int end;
        if ("meta".equals(name)) {
          if (at(json, i) != '{') {
            throw new InvalidJson("meta: expected an object, got " + JsonBytes.kind(json, i));
          }
          end = JsonBytes.skipObject(json, i, 1);
          meta = tree(json, i, end);
          if (validate) {
            checkMeta(meta);
          }
        } else {
          if (validate) {
            if (DATA_ONEOF.contains(name)) {
              if (dataField != null) {
                throw new InvalidJson(name + ": only one of data, binData, strData, jsonData, customData may be set "
                    + "(found " + dataField + " too)");
              }
              dataField = name;
            }
            end = checkTopLevel(json, name, i);
          } else {
            end = JsonBytes.skipValue(json, i, 1);
          }
          if (n + 2 > spans.length) {
            spans = java.util.Arrays.copyOf(spans, spans.length * 2);
          }
          spans[n++] = start;
          spans[n++] = end;
        }
        i = JsonBytes.ws(json, end);
        if (at(json, i) == ',') {
          i = JsonBytes.ws(json, i + 1);
        } else if (at(json, i) == '}') {
          i++;
          break;
        } else {
          throw JsonBytes.invalid(json, i, "',' or '}'");
        }
      }
    }
    i = JsonBytes.ws(json, i);
    if (i != json.length) {
      throw new InvalidJson("invalid JSON at byte " + i + ": unexpected content after the JSON object");
    }
    return new Layout(meta, spans, n);
  }

  private static int at(byte[] b, int i) {
    return i < b.length ? b[i] : -1;
  }

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

  private static ObjectNode tree(byte[] b, int start, int end) throws InvalidJson {
    try {
      return (ObjectNode) MAPPER.readTree(b, start, end - start);
    } catch (IOException e) {
      throw new InvalidJson("invalid JSON in meta: " + e.getMessage());
    }
  }

  /** Checks one element of an array; returns the index after it. */
  @FunctionalInterface
  private interface ElementCheck {
    int check(byte[] b, int i, int index) throws InvalidJson;
  }

  private static int array(byte[] b, int i, String path, ElementCheck element) throws InvalidJson {
    if (at(b, i) != '[') {
      throw new InvalidJson(path + ": expected an array, got " + JsonBytes.kind(b, i));
    }
    i = JsonBytes.ws(b, i + 1);
    if (at(b, i) == ']') {
      return i + 1;
    }
    for (int index = 0; ; index++) {
      i = JsonBytes.ws(b, element.check(b, i, index));
      if (at(b, i) == ',') {
        i = JsonBytes.ws(b, i + 1);
      } else if (at(b, i) == ']') {
        return i + 1;
      } else {
        throw JsonBytes.invalid(b, i, "',' or ']'");
      }
    }
  }

  /** Iterates the fields of an object; returns the index after it. */
  @FunctionalInterface
  private interface FieldCheck {
    int check(byte[] b, String name, int valueStart) throws InvalidJson;
  }

  private static int object(byte[] b, int i, String path, FieldCheck field) throws InvalidJson {
    if (at(b, i) != '{') {
      throw new InvalidJson(path + ": expected an object, got " + JsonBytes.kind(b, i));
    }
    i = JsonBytes.ws(b, i + 1);
    if (at(b, i) == '}') {
      return i + 1;
    }
    while (true) {
      if (at(b, i) != '"') {
        throw JsonBytes.invalid(b, i, "a field name");
      }
      int keyEnd = JsonBytes.skipString(b, i);
      String name = key(b, i, keyEnd);
      i = JsonBytes.ws(b, keyEnd);
      if (at(b, i) != ':') {
        throw JsonBytes.invalid(b, i, "':'");
      }
      i = JsonBytes.ws(b, field.check(b, name, JsonBytes.ws(b, i + 1)));
      if (at(b, i) == ',') {
        i = JsonBytes.ws(b, i + 1);
      } else if (at(b, i) == '}') {
        return i + 1;
      } else {
        throw JsonBytes.invalid(b, i, "',' or '}'");
      }
    }
  }

  private static int checkTopLevel(byte[] b, String name, int i) throws InvalidJson {
    switch (name) {
      case "data":
        return checkData(b, i);
      case "binData":
      case "strData":
        if (at(b, i) != '"') {
          throw new InvalidJson(name + ": expected a string, got " + JsonBytes.kind(b, i));
        }
        return JsonBytes.skipString(b, i);
      case "jsonData":
        return JsonBytes.skipValue(b, i, 1);
      case "customData":
      case "status":
        if (at(b, i) != '{') {
          throw new InvalidJson(name + ": expected an object, got " + JsonBytes.kind(b, i));
        }
        return JsonBytes.skipObject(b, i, 1);
      default:
        throw new InvalidJson(name + ": unknown field (a SeldonMessage has status, meta, data, binData, "
            + "strData, jsonData or customData)");
    }
  }

  private static int checkData(byte[] b, int i) throws InvalidJson {
    String[] payload = {null};
    return object(b, i, "data", (bytes, field, v) -> {
      String path = "data." + field;
      int end = switch (field) {
        case "names" -> array(bytes, v, path, (x, j, k) -> {
          if (at(x, j) != '"') {
            throw new InvalidJson(path + "[" + k + "]: expected a string, got " + JsonBytes.kind(x, j));
          }
          return JsonBytes.skipString(x, j);
        });
        case "tensor" -> checkTensor(bytes, v);
        case "ndarray" -> {
          if (at(bytes, v) != '[') {
            throw new InvalidJson(path + ": expected an array, got " + JsonBytes.kind(bytes, v));
          }
          yield JsonBytes.skipArray(bytes, v, 1);
        }
        case "tftensor" -> {
          if (at(bytes, v) != '{') {
            throw new InvalidJson(path + ": expected an object, got " + JsonBytes.kind(bytes, v));
          }
          yield JsonBytes.skipObject(bytes, v, 1);
        }
        default -> throw new InvalidJson(path + ": unknown field (data has names, tensor, ndarray or tftensor)");
      };
      if (!"names".equals(field)) {
        if (payload[0] != null) {
          throw new InvalidJson(path + ": only one of tensor, ndarray, tftensor may be set (found " + payload[0]
              + " too)");
        }
        payload[0] = field;
      }
      return end;
    });
  }

  private static int checkTensor(byte[] b, int i) throws InvalidJson {
    boolean[] integral = new boolean[1];
    return object(b, i, "data.tensor", (bytes, field, v) -> {
      String path = "data.tensor." + field;
      if ("shape".equals(field)) {
        return array(bytes, v, path, (x, j, k) -> {
          int c = at(x, j);
          if (c == '-' || c >= '0' && c <= '9') {
            int end = JsonBytes.number(x, j, integral);
            if (integral[0]) {
              return end;
            }
          }
          throw new InvalidJson(path + "[" + k + "]: expected an integer, got " + JsonBytes.kind(x, j));
        });
      }
      if ("values".equals(field)) {
        return array(bytes, v, path, (x, j, k) -> {
          int c = at(x, j);
          if (c == '-' || c >= '0' && c <= '9') {
            return JsonBytes.number(x, j, null);
          }
          if (c == '"') {
            int end = JsonBytes.skipString(x, j);
            String s = JsonBytes.simpleString(x, j, end);
            if (isSpecialDouble(s)) {
              return end;
            }
          }
          if (c == 'N' || c == 'I') {
            throw JsonBytes.invalid(x, j, "a value");
          }
          throw new InvalidJson(path + "[" + k + "]: expected a number, got " + JsonBytes.kind(x, j));
        });
      }
      throw new InvalidJson(path + ": unknown field (tensor has shape and values)");
    });
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

  private static void expectNode(boolean ok, String path, String expected, JsonNode got) throws InvalidJson {
    if (!ok) {
      throw new InvalidJson(path + ": expected " + expected + ", got " + got.getNodeType().name().toLowerCase());
    }
  }
}
