package dev.seldonj.e2e.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces AnalyticsPrometheusIT relies on: pod discovery's targets, the test configuration, Grafana's interpolation. */
class AnalyticsHelpersTest {

    private static final JsonNode DEPLOYMENT = AnalyticsChart.yaml("""
      kind: Deployment
      metadata: {name: sdep-default-0-model, namespace: models}
      spec:
        template:
          metadata:
            labels: {seldon-deployment-id: sdep, app.kubernetes.io/managed-by: seldon-core}
            annotations: {prometheus.io/scrape: "true", prometheus.io/path: /prometheus}
          spec:
            containers:
              - name: model
                image: me/model:1
                ports: [{name: http, containerPort: 9000}, {name: metrics, containerPort: 6000, protocol: TCP}]
              - {name: sidecar, image: me/sidecar:1}
      """);

    @Test
    void podTargetsAreOnePerContainerPortWithSanitisedMetaLabels() {
        List<PodTargets.Target> targets = PodTargets.of(DEPLOYMENT, "pod-1", Map.of(9000, 40000, 6000, 40001));
        assertThat(targets)
                .extracting(PodTargets.Target::address)
                .containsExactly("127.0.0.1:40000", "127.0.0.1:40001", "127.0.0.1");
        Map<String, String> metrics = targets.get(1).labels();
        assertThat(metrics)
                .containsEntry("__meta_kubernetes_namespace", "models")
                .containsEntry("__meta_kubernetes_pod_name", "pod-1")
                .containsEntry("__meta_kubernetes_pod_label_seldon_deployment_id", "sdep")
                .containsEntry("__meta_kubernetes_pod_label_app_kubernetes_io_managed_by", "seldon-core")
                .containsEntry("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true")
                .containsEntry("__meta_kubernetes_pod_annotationpresent_prometheus_io_path", "true")
                .containsEntry("__meta_kubernetes_pod_container_name", "model")
                .containsEntry("__meta_kubernetes_pod_container_port_name", "metrics")
                .containsEntry("__meta_kubernetes_pod_container_port_number", "6000")
                .containsEntry("__meta_kubernetes_pod_container_port_protocol", "TCP");
        assertThat(targets.get(2).labels()).doesNotContainKey("__meta_kubernetes_pod_container_port_name");
        assertThatThrownBy(() -> PodTargets.of(DEPLOYMENT, "pod-1", Map.of(9000, 40000)))
                .hasMessageContaining("no local port for container port 6000");
    }

    @Test
    void theTestConfigurationReplacesPodDiscoveryKeepingTheRelabelling() {
        String config = PrometheusTestConfig.of(
                """
        global: {scrape_interval: 15s}
        scrape_configs:
          - job_name: pods
            kubernetes_sd_configs: [{role: pod}]
            relabel_configs: [{source_labels: [__meta_kubernetes_namespace], target_label: namespace}]
        """, PodTargets.of(DEPLOYMENT, "pod-1", Map.of(9000, 40000, 6000, 40001)), "1s");
        JsonNode job = AnalyticsChart.yaml(config).at("/scrape_configs/0");
        assertThat(AnalyticsChart.yaml(config).at("/global/scrape_interval").asText())
                .isEqualTo("1s");
        assertThat(job.has("kubernetes_sd_configs")).isFalse();
        assertThat(job.at("/static_configs")).hasSize(3);
        assertThat(job.at("/static_configs/1/targets/0").asText()).isEqualTo("127.0.0.1:40001");
        assertThat(job.at("/relabel_configs/0/target_label").asText()).isEqualTo("namespace");
        assertThatThrownBy(() -> PrometheusTestConfig.of(
                        "scrape_configs: [{job_name: x, kubernetes_sd_configs: [{role: node}]}]", List.of(), "1s"))
                .hasMessageContaining("only role pod");
    }

    @Test
    void grafanaInterpolationEscapesValuesAndRefusesUnknownVariables() {
        GrafanaVariables variables = new GrafanaVariables(GrafanaVariables.Selection.ALL, "10s");
        assertThat(variables.interpolate(
                        "rate(x{a=~\"$v\", b=~\"${v}\", c=~\"[[v]]\"}[$__rate_interval])", Map.of("v", "a.b")))
                .isEqualTo("rate(x{a=~\"a\\\\.b\", b=~\"a\\\\.b\", c=~\"a\\\\.b\"}[10s])");
        assertThatThrownBy(() -> variables.interpolate("x{a=~\"$nope\"}")).hasMessageContaining("$nope");
    }
}
