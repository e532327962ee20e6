package dev.seldonj.charts;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered objects as typed fabric8 objects and reports every field the typed model does not know.
 * fabric8 models keep unknown fields in {@code additionalProperties} instead of failing, so a misspelt
 * field would pass a plain typed read: this walks the typed object and reports those maps when not empty.
 */
final class KubernetesObjects {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KubernetesObjects() {}

    /** The object as its fabric8 type; fails for kinds fabric8 has no model of. */
    static Object typed(JsonNode object) {
        Object typed = SERIALIZATION.unmarshal(object.toString());
        if (typed instanceof GenericKubernetesResource) {
            throw new AssertionError("no typed model for " + Manifest.identity(object) + " ("
                    + object.path("apiVersion").asText() + ")");
        }
        return typed;
    }

    /** Paths of fields the typed model does not know, e.g. {@code spec.template.spec: [serviceAcount]}. */
    static List<String> unknownFields(JsonNode object) {
        List<String> unknown = new ArrayList<>();
        walk(typed(object), "", unknown);
        return unknown;
    }

    private static void walk(Object value, String path, List<String> unknown) {
        if (value == null || value instanceof Quantity || value instanceof IntOrString || value instanceof JsonNode) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, unknown));
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                walk(item, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (!isModelGetter(getter)) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // a computed convenience getter, not a field
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add((path.isEmpty() ? "." : path) + ": " + extra.keySet());
                }
            } else {
                walk(field, path + "." + propertyName(getter), unknown);
            }
        }
    }

    private static boolean isModelGetter(Method method) {
        String name = method.getName();
        return method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers())
                && method.getDeclaringClass().getName().startsWith("io.fabric8.")
                && (name.startsWith("get") || name.startsWith("is"))
                && !method.getReturnType().isPrimitive();
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().startsWith("is")
                ? getter.getName().substring(2)
                : getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
