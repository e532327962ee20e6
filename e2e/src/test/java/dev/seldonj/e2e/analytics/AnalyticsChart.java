package dev.seldonj.e2e.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.e2e.cluster.TestCluster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** charts/seldon-core-analytics rendered offline (helm template, embedded Helm): its configuration and dashboards. */
record AnalyticsChart(List<JsonNode> objects) {

    static final String CHART = "seldon-core-analytics";

    static AnalyticsChart render(String release, String namespace, Map<String, String> sets) {
        TemplateCommand command = new Helm(
                        TestCluster.REPOSITORY.resolve("charts").resolve(CHART))
                .template()
                .withName(release)
                .withNamespace(namespace);
        for (Map.Entry<String, String> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String output = command.call();
        return new AnalyticsChart(
                Manifests.documents(output == null ? "" : output, "helm template " + CHART + " " + sets).stream()
                        .filter(d -> d != null && d.hasNonNull("kind"))
                        .toList());
    }

    /** {@code prometheus.yml} of the Prometheus ConfigMap. */
    String prometheusConfig() {
        return configMapKey("prometheus.yml");
    }

    /** {@code scrape-configs.yaml}: the scrape jobs alone. */
    String scrapeConfigs() {
        return configMapKey("scrape-configs.yaml");
    }

    /** Every dashboard the chart ships, from the ConfigMaps Grafana's sidecar loads. */
    List<Dashboard> dashboards() {
        List<Dashboard> dashboards = new ArrayList<>();
        for (JsonNode object : objects) {
            if (object.path("kind").asText().equals("ConfigMap")
                    && object.path("metadata").path("labels").has("grafana_dashboard")) {
                object.path("data")
                        .fields()
                        .forEachRemaining(e -> dashboards.add(
                                Dashboard.parse(e.getKey(), e.getValue().asText())));
            }
        }
        return dashboards;
    }

    /** One YAML document as a tree (a list stays a list). */
    static JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not YAML: " + e.getMessage() + "\n" + text, e);
        }
    }

    private String configMapKey(String key) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals("ConfigMap")
                        && o.path("data").has(key))
                .map(o -> o.path("data").path(key).asText())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap with key " + key + " in the rendered chart"));
    }
}
