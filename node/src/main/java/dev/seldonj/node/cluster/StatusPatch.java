package dev.seldonj.node.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod status as a strategic-merge patch. Conditions merge by type with what is there, field by field:
 * a reason or message the new condition no longer has must be sent as an explicit null, or the old one
 * stays (a Ready=True condition would keep "ContainersNotReady").
 */
final class StatusPatch {

    private StatusPatch() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, Object> status) {
        Map<String, Object> patch = new LinkedHashMap<>(status);
        Object conditions = patch.get("conditions");
        if (conditions instanceof List<?> list) {
            patch.put(
                    "conditions",
                    list.stream()
                            .map(c -> {
                                Map<String, Object> condition = new LinkedHashMap<>((Map<String, Object>) c);
                                condition.putIfAbsent("reason", null);
                                condition.putIfAbsent("message", null);
                                return condition;
                            })
                            .toList());
        }
        return patch;
    }
}
