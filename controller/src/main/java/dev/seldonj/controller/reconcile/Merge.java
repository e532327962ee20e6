package dev.seldonj.controller.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON merge (RFC 7386) of a desired object over a live one, computed on the client. */
final class Merge {

  private Merge() {}

  /** A copy of {@code live} with every field of {@code desired} written over it; lists are replaced whole. */
  static JsonNode overlay(JsonNode live, JsonNode desired) {
    if (!(live instanceof ObjectNode) || !desired.isObject()) {
      return desired.deepCopy();
    }
    ObjectNode merged = ((ObjectNode) live).deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode current = merged.get(field.getKey());
      merged.set(field.getKey(), current == null ? field.getValue().deepCopy() : overlay(current, field.getValue()));
    }
    return merged;
  }
}
