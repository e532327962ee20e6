package dev.seldonj.controller.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether every field the controller sets is present, with the same value, in the live object. Fields
 * the API server or others add (defaults, status, clusterIP, an HPA's replicas) do not count, so an
 * unchanged object is not written again, while a hand edit of a field the controller owns is found.
 * "The same value" allows for how the API server stores values: zero values of omitempty fields are
 * dropped, and quantities are rewritten to their canonical form.
 */
final class Subset {

    private Subset() {}

    static boolean contains(JsonNode live, JsonNode desired) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (live == null || live.isNull() || live.isMissingNode()) {
            // The API server drops zero values of omitempty fields (a probe's initialDelaySeconds: 0,
            // stdin: false, an empty map): absent is what it stores for them.
            return desired.isContainerNode() ? desired.isEmpty() : zero(desired);
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
        // Scalars compare by text so 8000 and "8000" (an IntOrString) agree, and quantities by value: the
        // API server stores "0.5" as "500m" and "1024Mi" as "1Gi", which would otherwise look like a hand
        // edit on every pass. (A change of the desired value itself is seen by the applied-hash annotation.)
        return desired.equals(live)
                || desired.asText().equals(live.asText())
                || sameQuantity(desired.asText(), live.asText());
    }

    private static boolean zero(JsonNode scalar) {
        return (scalar.isNumber() && scalar.decimalValue().signum() == 0)
                || (scalar.isBoolean() && !scalar.booleanValue())
                || (scalar.isTextual() && scalar.textValue().isEmpty());
    }

    private static final Pattern QUANTITY =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\\d+)?");

    static boolean sameQuantity(String a, String b) {
        if (!QUANTITY.matcher(a).matches() || !QUANTITY.matcher(b).matches()) {
            return false;
        }
        try {
            return Quantity.parse(a)
                            .getNumericalAmount()
                            .compareTo(Quantity.parse(b).getNumericalAmount())
                    == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
