package dev.seldonj.controller.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Micronaut's flattened properties ({@code engine.http-port}, {@code watch-namespaces[0]}) back
 * into the nested map the configuration loader binds.
 */
final class PropertyTree {

    private PropertyTree() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> nest(Map<String, Object> flat) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (value instanceof Map<?, ?> || key.contains("[")) {
                continue; // Micronaut also exposes the nested views and indexed entries; the plain ones suffice.
            }
            String[] parts = key.split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                Object child = node.get(parts[i]);
                if (!(child instanceof Map<?, ?>)) {
                    child = new LinkedHashMap<String, Object>();
                    node.put(parts[i], child);
                }
                node = (Map<String, Object>) child;
            }
            node.putIfAbsent(parts[parts.length - 1], value instanceof List<?> list ? List.copyOf(list) : value);
        }
        return root;
    }
}
