package dev.seldonj.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code helm install} of seldon-core-analytics into the test cluster, as a user installs it beside the
 * operator: the release holds the Prometheus configuration and the dashboards, selectable by the label
 * Grafana's sidecar watches; uninstall removes them. (ChartObjectsAcceptedIT has the API server accept
 * the optional Prometheus server's objects; AnalyticsPrometheusIT runs the configuration and queries.)
 */
class AnalyticsChartClusterIT {

    private static final String RELEASE = "seldon-core-analytics";

    @Test
    void installsTheConfigurationAndTheDashboardsForGrafanasSidecar() {
        TestCluster cluster = TestCluster.get();
        String namespace = cluster.createNamespace("monitoring");
        String chart = TestCluster.REPOSITORY.resolve("charts").resolve(RELEASE).toString();
        try {
            String install = cluster.helm("install", RELEASE, chart, "-n", namespace, "--wait", "--timeout", "2m")
                    .orThrow();
            assertThat(install).contains("STATUS: deployed", "grafana_dashboard=1");

            String dashboards = cluster.kubectl(
                            "get",
                            "configmaps",
                            "-n",
                            namespace,
                            "-l",
                            "grafana_dashboard=1",
                            "-o",
                            "jsonpath={range .items[*]}{.metadata.name} {.metadata.annotations.grafana_folder}{\"\\n\"}{end}")
                    .orThrow();
            assertThat(dashboards.lines())
                    .containsExactlyInAnyOrder(
                            RELEASE + "-seldon-predictions Seldon",
                            RELEASE + "-seldon-model-metrics Seldon",
                            RELEASE + "-seldon-feedback Seldon");
            String predictions = cluster.kubectl(
                            "get",
                            "configmap",
                            RELEASE + "-seldon-predictions",
                            "-n",
                            namespace,
                            "-o",
                            "jsonpath={.data.seldon-predictions\\.json}")
                    .orThrow();
            assertThat(predictions)
                    .contains("\"uid\": \"seldon-predictions\"", "seldon_api_executor_server_requests_seconds_bucket");
            String config = cluster.kubectl(
                            "get",
                            "configmap",
                            RELEASE + "-prometheus",
                            "-n",
                            namespace,
                            "-o",
                            "jsonpath={.data.prometheus\\.yml}")
                    .orThrow();
            assertThat(config)
                    .contains("kubernetes_sd_configs", "__meta_kubernetes_pod_annotation_prometheus_io_scrape");

            cluster.helm("uninstall", RELEASE, "-n", namespace, "--wait").orThrow();
            assertThat(cluster.kubectl(
                                    "get",
                                    "configmaps",
                                    "-n",
                                    namespace,
                                    "-l",
                                    "app.kubernetes.io/instance=" + RELEASE,
                                    "-o",
                                    "name")
                            .orThrow())
                    .isBlank();
        } finally {
            cluster.helm("uninstall", RELEASE, "-n", namespace, "--ignore-not-found");
            cluster.kubectl("delete", "namespace", namespace, "--wait=false");
        }
    }
}
