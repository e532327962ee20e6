package dev.seldonj.controller.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether every field the controller sets is present, with the same value, in the live object. Fields
 * the API server or others add (defaults, status, clusterIP, an HPA's replicas) do not count, so an
 * unchanged object is not written again, while a hand edit of a field the controller owns is found.
 */
final class Subset {

  private Subset() {}

  static boolean contains(JsonNode live, JsonNode desired) {
    if (desired == null || desired.isNull()) {
      return true;
    }
    if (live == null || live.isNull() || live.isMissingNode()) {
      return desired.isContainerNode() && desired.isEmpty();
    }
    if (desired.isObject()) {
      if (!live.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!contains(live.get(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      // Lists are owned whole: same length, element by element.
      if (!live.isArray() || live.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!contains(live.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isNumber() && live.isNumber()) {
      return new BigDecimal(desired.asText()).compareTo(new BigDecimal(live.asText())) == 0;
    }
    // Scalars compare by text so 8000 and "8000" (an IntOrString) agree.
    return desired.equals(live) || desired.asText().equals(live.asText());
  }
}
