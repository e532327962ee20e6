package dev.seldonj.e2e.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.manifest.Manifests;
import java.util.List;

/**
 * The chart's Prometheus configuration made runnable without an API server: every Kubernetes pod
 * discovery is replaced by static targets carrying the labels that discovery would give, so the
 * chart's own relabelling (keep, path, address, the labels the dashboards filter on) runs unchanged.
 */
final class PrometheusTestConfig {

    private PrometheusTestConfig() {}

    static String of(String chartConfig, List<PodTargets.Target> targets, String scrapeInterval) {
        if (!(AnalyticsChart.yaml(chartConfig) instanceof ObjectNode config)) {
            throw new IllegalArgumentException("the chart's prometheus.yml is not a mapping");
        }
        ObjectNode global = config.has("global") ? (ObjectNode) config.get("global") : config.putObject("global");
        global.put("scrape_interval", scrapeInterval);
        global.put("evaluation_interval", scrapeInterval);
        int replaced = 0;
        for (JsonNode job : config.path("scrape_configs")) {
            JsonNode discoveries = job.path("kubernetes_sd_configs");
            if (discoveries.isMissingNode()) {
                continue;
            }
            for (JsonNode discovery : discoveries) {
                if (!"pod".equals(discovery.path("role").asText())) {
                    throw new IllegalArgumentException("job " + job.path("job_name")
                            + ": only role pod is emulated, not " + discovery.path("role"));
                }
            }
            ObjectNode edited = (ObjectNode) job;
            edited.remove("kubernetes_sd_configs");
            ArrayNode statics = edited.putArray("static_configs");
            for (PodTargets.Target target : targets) {
                ObjectNode entry = statics.addObject();
                entry.putArray("targets").add(target.address());
                ObjectNode labels = entry.putObject("labels");
                target.labels().forEach(labels::put);
            }
            replaced++;
        }
        if (replaced == 0) {
            throw new IllegalArgumentException("the chart's configuration has no kubernetes_sd_configs job");
        }
        return Manifests.toYaml(config);
    }
}
