package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * seldon-core-analytics renders the Prometheus configuration and Grafana's dashboards as the sidecars
 * expect them, and an optional Prometheus server; AnalyticsPrometheusIT (e2e) runs them for real.
 */
class AnalyticsChartTest {

    private static final Path CHART = Repository.CHARTS.resolve("seldon-core-analytics");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    private static final Set<String> BUILT_INS = Set.of("__rate_interval", "__interval", "__range");

    private static Manifest render(Map<String, ?> values) {
        Manifest manifest = HelmRender.of(CHART, "analytics")
                .namespace("monitoring")
                .set(values)
                .render();
        ChartChecks.wellFormed(manifest);
        return manifest;
    }

    @Test
    void byDefaultTheConfigurationAndThreeDashboardsForGrafanasSidecar() {
        Manifest manifest = render(Map.of());
        assertThat(manifest.identities())
                .containsExactlyInAnyOrder(
                        "ConfigMap/monitoring/analytics-seldon-core-analytics-prometheus",
                        "ConfigMap/monitoring/analytics-seldon-core-analytics-seldon-predictions",
                        "ConfigMap/monitoring/analytics-seldon-core-analytics-seldon-model-metrics",
                        "ConfigMap/monitoring/analytics-seldon-core-analytics-seldon-feedback");
        for (JsonNode dashboard : dashboardConfigMaps(manifest)) {
            assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText())
                    .isEqualTo("1");
            assertThat(dashboard.at("/metadata/annotations/grafana_folder").asText())
                    .isEqualTo("Seldon");
            assertThat(dashboard.path("data").size()).isEqualTo(1);
        }
    }

    @Test
    void theScrapeJobKeepsAnnotatedPodsMetricsPortsAndLabelsWhereSeriesComeFrom() {
        JsonNode config = prometheusConfig(render(Map.of()));
        assertThat(config.at("/global/scrape_interval").asText()).isEqualTo("15s");
        JsonNode job = config.at("/scrape_configs/0");
        assertThat(job.path("job_name").asText()).isEqualTo("seldon-pods");
        assertThat(job.at("/kubernetes_sd_configs/0/role").asText()).isEqualTo("pod");
        assertThat(job.at("/kubernetes_sd_configs/0").has("namespaces")).isFalse();
        List<String> rules = new ArrayList<>();
        job.path("relabel_configs")
                .forEach(rule -> rules.add(rule.path("source_labels").toString() + " "
                        + rule.path("action").asText("replace") + " "
                        + rule.path("regex").asText("(.*)") + " -> "
                        + rule.path("target_label").asText("")));
        assertThat(rules)
                .contains(
                        "[\"__meta_kubernetes_pod_annotation_prometheus_io_scrape\"] keep true -> ",
                        "[\"__meta_kubernetes_pod_container_name\",\"__meta_kubernetes_pod_container_port_name\"] keep "
                                + "seldon-container-engine;http|[^;]+;metrics -> ",
                        "[\"__meta_kubernetes_pod_annotation_prometheus_io_path\"] replace (.+) -> __metrics_path__",
                        "[\"__meta_kubernetes_namespace\"] replace (.*) -> namespace",
                        "[\"__meta_kubernetes_pod_name\"] replace (.*) -> pod",
                        "[\"__meta_kubernetes_pod_label_seldon_deployment_id\"] replace (.*) -> seldon_deployment_id");
    }

    @Test
    void scrapeOptions() {
        Manifest manifest = render(Map.of(
                "scrape.namespaces[0]",
                "models",
                "scrape.namespaces[1]",
                "staging",
                "scrape.interval",
                "5s",
                "scrape.jobName",
                "seldon",
                "scrape.ports",
                "[^;]+;metrics",
                "scrape.extraScrapeConfigs[0].job_name",
                "self",
                "scrape.extraScrapeConfigs[0].static_configs[0].targets[0]",
                "localhost:9090"));
        JsonNode config = prometheusConfig(manifest);
        assertThat(config.at("/global/scrape_interval").asText()).isEqualTo("5s");
        assertThat(config.at("/scrape_configs/0/job_name").asText()).isEqualTo("seldon");
        assertThat(config.at("/scrape_configs/0/kubernetes_sd_configs/0/namespaces/names")
                        .toString())
                .isEqualTo("[\"models\",\"staging\"]");
        assertThat(config.at("/scrape_configs/0/relabel_configs/2/regex").asText())
                .isEqualTo("[^;]+;metrics");
        assertThat(config.at("/scrape_configs/1/job_name").asText()).isEqualTo("self");
        JsonNode jobsAlone =
                yaml(configMap(manifest).at("/data/scrape-configs.yaml").asText());
        assertThat(jobsAlone).isEqualTo(config.path("scrape_configs"));
    }

    @Test
    void thePrometheusServerReadsTheConfigurationAndMayDiscoverPods() {
        Manifest manifest = render(Map.of("prometheus.enabled", true));
        String name = "analytics-seldon-core-analytics-prometheus";
        JsonNode deployment = manifest.get("Deployment", name);
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(name);
        assertThat(pod.at("/volumes/0/configMap/name").asText())
                .isEqualTo(configMap(manifest).at("/metadata/name").asText());
        assertThat(pod.at("/containers/0/image").asText()).isEqualTo("quay.io/prometheus/prometheus:v2.42.0");
        assertThat(pod.at("/containers/0/args").toString()).contains("--config.file=/etc/prometheus/prometheus.yml");
        assertThat(deployment
                        .at("/spec/template/metadata/annotations/checksum~1config")
                        .asText())
                .hasSize(64);
        assertThat(manifest.get("Service", name).at("/spec/selector"))
                .isEqualTo(deployment.at("/spec/selector/matchLabels"));
        assertThat(manifest.get("ClusterRole", name).at("/rules/0/resources").toString())
                .isEqualTo("[\"pods\"]");
        assertThat(manifest.get("ClusterRoleBinding", name)
                        .at("/subjects/0/name")
                        .asText())
                .isEqualTo(name);

        Manifest scoped = render(Map.of("prometheus.enabled", true, "scrape.namespaces[0]", "models"));
        assertThat(scoped.ofKind("ClusterRole")).isEmpty();
        assertThat(scoped.get("Role", name).at("/metadata/namespace").asText()).isEqualTo("models");
        assertThat(scoped.get("RoleBinding", name).at("/subjects/0/namespace").asText())
                .isEqualTo("monitoring");
    }

    @Test
    void sidecarLabelsFolderAndNamespaceAreConfigurable() {
        Manifest manifest = render(Map.of(
                "grafana.dashboards.label",
                "dashboards",
                "grafana.dashboards.labelValue",
                "seldon",
                "grafana.dashboards.folder",
                "",
                "grafana.dashboards.namespace",
                "grafana"));
        for (JsonNode dashboard : dashboardConfigMaps(manifest)) {
            assertThat(dashboard.at("/metadata/labels/dashboards").asText()).isEqualTo("seldon");
            assertThat(dashboard.at("/metadata/namespace").asText()).isEqualTo("grafana");
            assertThat(dashboard.path("metadata").has("annotations")).isFalse();
        }
        assertThat(render(Map.of("grafana.dashboards.enabled", false)).ofKind("ConfigMap"))
                .hasSize(1);
    }

    @Test
    void theDatasourcePointsAtThisChartsPrometheusOrAGivenUrl() {
        Manifest manifest = render(Map.of("prometheus.enabled", true, "grafana.datasource.enabled", true));
        JsonNode datasource = manifest.get("ConfigMap", "analytics-seldon-core-analytics-datasource");
        assertThat(datasource.at("/metadata/labels/grafana_datasource").asText())
                .isEqualTo("1");
        assertThat(datasource.at("/data/seldon-prometheus.yaml").asText())
                .contains("url: \"http://analytics-seldon-core-analytics-prometheus.monitoring.svc:9090\"");
        assertThat(render(Map.of("grafana.datasource.enabled", true, "grafana.datasource.url", "http://prom:9090"))
                        .get("ConfigMap", "analytics-seldon-core-analytics-datasource")
                        .at("/data/seldon-prometheus.yaml")
                        .asText())
                .contains("url: \"http://prom:9090\"");
        assertThatThrownBy(() -> render(Map.of("grafana.datasource.enabled", true)))
                .hasMessageContaining(
                        "grafana.datasource.enabled needs grafana.datasource.url or prometheus.enabled=true");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> render(Map.of("scrape.interval", "fast"))).hasMessageContaining("scrape.interval");
        assertThatThrownBy(() -> render(Map.of("scrape.namespaces[0]", "Not_A_Namespace")))
                .hasMessageContaining("scrape.namespaces");
        assertThatThrownBy(() -> render(Map.of("prometheus.retain", "1d"))).hasMessageContaining("retain");
    }

    /** Each dashboard: unique uid, the data source variable on every panel, only defined variables in queries. */
    @Test
    void everyDashboardIsWellFormed() throws IOException {
        Set<String> uids = new HashSet<>();
        for (JsonNode configMap : dashboardConfigMaps(render(Map.of()))) {
            String file = configMap.path("data").fieldNames().next();
            JsonNode dashboard = new ObjectMapper()
                    .readTree(configMap.path("data").path(file).asText());
            assertThat(uids.add(dashboard.path("uid").asText()))
                    .as("uid of %s is unique", file)
                    .isTrue();
            assertThat(dashboard.path("title").asText()).startsWith("Seldon Core: ");
            Set<String> variables = new HashSet<>(BUILT_INS);
            dashboard
                    .at("/templating/list")
                    .forEach(v -> variables.add(v.path("name").asText()));
            assertThat(variables).contains("datasource", "namespace", "deployment", "predictor");
            List<String> problems = new ArrayList<>();
            int queries = 0;
            for (JsonNode panel : dashboard.path("panels")) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String title = file + " \"" + panel.path("title").asText() + "\"";
                if (!panel.at("/datasource/uid").asText().equals("${datasource}")) {
                    problems.add(title + ": data source is not ${datasource}");
                }
                if (panel.path("targets").isEmpty()) {
                    problems.add(title + ": no query");
                }
                for (JsonNode target : panel.path("targets")) {
                    queries++;
                    problems.addAll(undefined(title, target.path("expr").asText(), variables));
                }
            }
            for (JsonNode variable : dashboard.at("/templating/list")) {
                problems.addAll(undefined(
                        file + " variable " + variable.path("name").asText(),
                        variable.at("/query/query").asText(""),
                        variables));
            }
            assertThat(problems).isEmpty();
            assertThat(queries).as("queries of %s", file).isGreaterThanOrEqualTo(3);
        }
        assertThat(uids).containsExactlyInAnyOrder("seldon-predictions", "seldon-model-metrics", "seldon-feedback");
    }

    private static List<String> undefined(String where, String expr, Set<String> variables) {
        List<String> problems = new ArrayList<>();
        Matcher m = REFERENCE.matcher(expr);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            if (!variables.contains(name)) {
                problems.add(where + ": $" + name + " is not a variable");
            }
        }
        return problems;
    }

    private static JsonNode configMap(Manifest manifest) {
        return manifest.get("ConfigMap", "analytics-seldon-core-analytics-prometheus");
    }

    private static JsonNode prometheusConfig(Manifest manifest) {
        return yaml(configMap(manifest).at("/data/prometheus.yml").asText());
    }

    private static JsonNode yaml(String text) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not YAML: " + e.getMessage() + "\n" + text, e);
        }
    }

    private static List<JsonNode> dashboardConfigMaps(Manifest manifest) {
        return manifest.ofKind("ConfigMap").stream()
                .filter(c -> c.path("metadata")
                        .path("name")
                        .asText()
                        .matches(".*-seldon-(predictions|model-metrics|feedback)"))
                .toList();
    }
}
