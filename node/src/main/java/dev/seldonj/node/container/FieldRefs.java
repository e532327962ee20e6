package dev.seldonj.node.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The downward API's values ({@code fieldRef}, {@code resourceFieldRef}), for env and for volume files. */
public final class FieldRefs {

    private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    private FieldRefs() {}

    /** A {@code fieldRef}'s value; unsupported paths fail with the path named. */
    public static String field(ObjectFieldSelector ref, PodFacts facts) {
        var pod = facts.pod();
        var meta = pod.getMetadata();
        String path = ref.getFieldPath();
        Matcher m = SUBSCRIPT.matcher(path);
        if (m.matches()) {
            Map<String, String> map = "labels".equals(m.group(1)) ? meta.getLabels() : meta.getAnnotations();
            return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
            case "status.podIP", "status.podIPs" -> nullToEmpty(facts.podIp());
            case "status.hostIP", "status.hostIPs" -> nullToEmpty(facts.hostIp());
            default ->
                throw new ContainerConfigException(
                        ContainerConfigException.CONFIG_ERROR, "unsupported fieldRef fieldPath " + path);
        };
    }

    /**
     * A {@code resourceFieldRef}'s value in units of its divisor, rounded up as kubelet does; a limit the
     * container does not set is the node's allocatable amount.
     */
    public static String resource(ResourceFieldSelector ref, Container container, PodFacts facts) {
        String resource = ref.getResource();
        int dot = resource.indexOf('.');
        if (dot < 0) {
            throw new ContainerConfigException(
                    ContainerConfigException.CONFIG_ERROR, "unsupported resourceFieldRef resource " + resource);
        }
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        var resources = container == null ? null : container.getResources();
        Map<String, Quantity> limits =
                resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
        Map<String, Quantity> requests =
                resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
        Quantity value;
        if ("limits".equals(kind)) {
            value = limits.getOrDefault(name, facts.nodeAllocatable().get(name));
        } else if ("requests".equals(kind)) {
            // The API server defaults a missing request to the limit; with neither the request is zero.
            value = requests.getOrDefault(name, limits.get(name));
        } else {
            throw new ContainerConfigException(
                    ContainerConfigException.CONFIG_ERROR, "unsupported resourceFieldRef resource " + resource);
        }
        BigDecimal amount = value == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(value);
        BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(ref.getDivisor());
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    /** {@code key="value"} lines, sorted, as kubelet writes whole label or annotation maps. */
    static String formatMap(Map<String, String> map) {
        if (map == null) {
            return "";
        }
        return new TreeMap<>(map)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=\""
                                + e.getValue()
                                        .replace("\\", "\\\\")
                                        .replace("\"", "\\\"")
                                        .replace("\n", "\\n") + "\"")
                        .collect(Collectors.joining("\n"));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
