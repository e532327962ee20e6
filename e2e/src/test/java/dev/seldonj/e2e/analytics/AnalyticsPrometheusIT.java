package dev.seldonj.e2e.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.e2e.cluster.BackgroundProcess;
import dev.seldonj.e2e.cluster.Command;
import dev.seldonj.e2e.cluster.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The analytics chart as users install it, against a real Prometheus (Debian's 2.42, {@code make
 * prometheus-tools}) scraping a running graph: the chart's rendered configuration passes {@code promtool
 * check config}; the controller renders examples/model-with-metrics.yaml, the local runner runs it
 * (engine jar, the Java wrapper's model-with-metrics and mock classifier); Prometheus scrapes it through
 * the chart's own relabelling (its Kubernetes pod discovery replaced by the same pods as static targets
 * with the labels discovery gives); traffic with failures and feedback flows; then every variable query
 * and every PromQL expression of every panel of every dashboard the chart ships returns data.
 */
class AnalyticsPrometheusIT {

    private static final Path REPO = TestCluster.REPOSITORY;
    private static final String NAMESPACE = "seldon-analytics";
    private static final String DEPLOYMENT = "model-with-metrics";
    private static final Pattern GATEWAY = Pattern.compile("http://localhost:(\\d+)/seldon/");
    private static final Pattern POD_PORTS = Pattern.compile("^runner \\| pod ([^/ ]+)/(\\S+) ports: (.*)$");
    private static final Pattern PORT = Pattern.compile("(\\d+) -> 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void theRenderedConfigurationPassesPromtool() throws Exception {
        checkConfig(
                AnalyticsChart.render("analytics", "seldon-system", Map.of()).prometheusConfig());
        AnalyticsChart restricted = AnalyticsChart.render(
                "analytics",
                "seldon-system",
                Map.of(
                        "scrape.namespaces[0]",
                        "models",
                        "scrape.namespaces[1]",
                        "staging",
                        "scrape.interval",
                        "5s",
                        "prometheus.enabled",
                        "true"));
        String config = restricted.prometheusConfig();
        checkConfig(config);
        assertThat(config).contains("names: [\"models\",\"staging\"]").contains("scrape_interval: 5s");
        // The scrape jobs alone (for a Prometheus of one's own) are the same jobs.
        JsonNode jobs = AnalyticsChart.yaml(restricted.scrapeConfigs());
        assertThat(jobs).isEqualTo(AnalyticsChart.yaml(config).path("scrape_configs"));
    }

    @Test
    void everyDashboardQueryReturnsDataFromAScrapedGraph() throws Exception {
        AnalyticsChart chart = AnalyticsChart.render("analytics", "monitoring", Map.of());
        List<Dashboard> dashboards = chart.dashboards();
        assertThat(dashboards)
                .extracting(Dashboard::name)
                .containsExactlyInAnyOrder(
                        "seldon-predictions.json", "seldon-model-metrics.json", "seldon-feedback.json");

        Path work = Files.createTempDirectory("analytics-it");
        try {
            runGraphAndCheckDashboards(chart, dashboards, work);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void runGraphAndCheckDashboards(AnalyticsChart chart, List<Dashboard> dashboards, Path work)
            throws Exception {
        Path objectsFile = work.resolve("objects.yaml");
        String objects = render(work);
        Files.writeString(objectsFile, objects);
        List<JsonNode> deployments = Manifests.documents(objects, "render").stream()
                .filter(o -> o != null && o.path("kind").asText().equals("Deployment"))
                .toList();

        try (BackgroundProcess run = BackgroundProcess.start(
                List.of(
                        java(),
                        "-jar",
                        REPO.resolve("local/target/seldonj-local.jar").toString(),
                        "run",
                        "--objects",
                        objectsFile.toString(),
                        "--gateway-port",
                        "0",
                        "--repo-dir",
                        REPO.toString()),
                Map.of())) {
            Map<String, Map<Integer, Integer>> podPorts = new HashMap<>();
            String gatewayLine = run.awaitLine(
                    line -> {
                        Matcher pod = POD_PORTS.matcher(line);
                        if (pod.matches()) {
                            Map<Integer, Integer> ports = new HashMap<>();
                            Matcher port = PORT.matcher(pod.group(3));
                            while (port.find()) {
                                ports.put(Integer.parseInt(port.group(1)), Integer.parseInt(port.group(2)));
                            }
                            podPorts.put(pod.group(2), ports);
                        }
                        return GATEWAY.matcher(line).find();
                    },
                    Duration.ofMinutes(3));
            Matcher gateway = GATEWAY.matcher(gatewayLine);
            assertThat(gateway.find()).isTrue();

            List<PodTargets.Target> targets = new ArrayList<>();
            for (JsonNode deployment : deployments) {
                String pod = deployment.path("metadata").path("name").asText();
                assertThat(podPorts).as("the runner's port map").containsKey(pod);
                targets.addAll(PodTargets.of(deployment, pod, podPorts.get(pod)));
            }
            String testConfig = PrometheusTestConfig.of(chart.prometheusConfig(), targets, "1s");
            Path testConfigFile = work.resolve("prometheus-test.yml");
            Files.writeString(testConfigFile, testConfig);
            Command check = Command.run(
                    List.of(promtool(), "check", "config", testConfigFile.toString()),
                    Map.of(),
                    null,
                    Duration.ofSeconds(30));
            assertThat(check.exit()).as(check.stdout() + check.stderr()).isZero();

            String deploymentUrl = "http://localhost:" + gateway.group(1) + "/seldon/" + NAMESPACE + "/" + DEPLOYMENT;
            try (Traffic traffic = new Traffic(deploymentUrl);
                    PrometheusServer prometheus = PrometheusServer.start(testConfig)) {
                assertScrapesExactlyTheMetricsPorts(prometheus, targets.size());
                for (GrafanaVariables.Selection selection : GrafanaVariables.Selection.values()) {
                    Map<String, String> problems =
                            awaitEveryQueryAnswered(prometheus, dashboards, selection, Duration.ofSeconds(90));
                    assertThat(problems)
                            .as(
                                    "dashboard queries without data, variables %s (traffic so far: %s)",
                                    selection, traffic.answers())
                            .isEmpty();
                }
                assertThat(traffic.answers())
                        .containsKeys("good 200", "model-fails 500", "malformed 400", "feedback 200");
                assertVariablesFindExactlyThisGraph(prometheus, dashboards);

                // The labels the dashboards filter on come from the chart's relabelling, and name this graph.
                JsonNode rate = prometheus.query("sum by (namespace, deployment_name, predictor_name) "
                        + "(rate(seldon_api_executor_server_requests_seconds_count{service=\"predictions\"}[10s]))");
                assertThat(rate).hasSize(1);
                assertThat(rate.get(0).path("metric").toString())
                        .contains(
                                "\"namespace\":\"" + NAMESPACE + "\"",
                                "\"deployment_name\":\"" + DEPLOYMENT + "\"",
                                "\"predictor_name\":\"default\"");
                JsonNode series = prometheus.query(
                        "count by (namespace, pod, container, seldon_deployment_id, seldon_app) "
                                + "({__name__=~\"seldon_api_executor_server_requests_seconds_count|model_predictions_total\"})");
                assertThat(series)
                        .extracting(s -> s.path("metric").path("container").asText())
                        .containsExactlyInAnyOrder("seldon-container-engine", "metrics-model");
                assertThat(series)
                        .allSatisfy(s -> assertThat(s.path("metric")
                                        .path("seldon_deployment_id")
                                        .asText())
                                .isEqualTo(DEPLOYMENT));
            }
        }
    }

    /** Each variable finds this graph's values and nothing else (the custom-metric ones no engine or wrapper series). */
    private static void assertVariablesFindExactlyThisGraph(PrometheusServer prometheus, List<Dashboard> dashboards)
            throws Exception {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Dashboard dashboard : dashboards) {
            GrafanaVariables variables = new GrafanaVariables(GrafanaVariables.Selection.ALL, "10s");
            for (Dashboard.Variable variable : dashboard.variables()) {
                variables.resolve(variable, prometheus);
                found.put(
                        dashboard.name().replace(".json", "") + " " + variable.name(),
                        variables.values(variable.name()));
            }
        }
        assertThat(found)
                .containsEntry("seldon-predictions namespace", List.of(NAMESPACE))
                .containsEntry("seldon-predictions deployment", List.of(DEPLOYMENT))
                .containsEntry("seldon-predictions predictor", List.of("default"))
                .containsEntry("seldon-predictions node", List.of("classifier", "metrics-model"))
                .containsEntry("seldon-model-metrics model", List.of("metrics-model"))
                .containsEntry("seldon-model-metrics counter", List.of("model_predictions_total"))
                .containsEntry("seldon-model-metrics gauge", List.of("model_last_batch_size"))
                .containsEntry("seldon-model-metrics timer", List.of("model_predict_ms_bucket"))
                .containsEntry("seldon-feedback model", List.of("classifier", "metrics-model"));
    }

    /** The pod discovery's targets minus the relabelling's drops: the engine's http port and each model's metrics port. */
    private static void assertScrapesExactlyTheMetricsPorts(PrometheusServer prometheus, int discovered)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> up = new TreeSet<>();
        JsonNode data = null;
        while (System.nanoTime() < deadline) {
            data = prometheus.api("targets", Map.of());
            up.clear();
            for (JsonNode target : data.path("activeTargets")) {
                if (target.path("health").asText().equals("up")) {
                    up.add(target.path("labels").path("container").asText() + " "
                            + target.path("scrapeUrl").asText().replaceAll(":\\d+/", ":PORT/"));
                }
            }
            if (up.size() == 3) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(up)
                .as("targets up: %s", data)
                .containsExactlyInAnyOrder(
                        "seldon-container-engine http://127.0.0.1:PORT/prometheus",
                        "metrics-model http://127.0.0.1:PORT/prometheus",
                        "classifier http://127.0.0.1:PORT/prometheus");
        assertThat(data.path("activeTargets").size()
                        + data.path("droppedTargets").size())
                .isEqualTo(discovered);
    }

    /**
     * Evaluates every variable and panel query, the variables set to "All" or to their first value, until
     * each returns at least one finite value, or the time is up: then the ones that did not, with what
     * Prometheus answered.
     */
    private static Map<String, String> awaitEveryQueryAnswered(
            PrometheusServer prometheus,
            List<Dashboard> dashboards,
            GrafanaVariables.Selection selection,
            Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> problems;
        int evaluated;
        do {
            problems = new LinkedHashMap<>();
            evaluated = 0;
            for (Dashboard dashboard : dashboards) {
                GrafanaVariables variables = new GrafanaVariables(selection, "10s");
                for (Dashboard.Variable variable : dashboard.variables()) {
                    variables.resolve(variable, prometheus);
                    evaluated++;
                    if (variables.values(variable.name()).isEmpty()) {
                        problems.put(
                                dashboard.name() + " variable " + variable.name(),
                                variable.query() + " found no values");
                    }
                }
                for (Dashboard.PanelQuery query : dashboard.queries()) {
                    List<Map<String, String>> copies = query.repeat() == null
                            ? List.of(Map.of())
                            : variables.values(query.repeat()).stream()
                                    .map(v -> Map.of(query.repeat(), v))
                                    .toList();
                    if (copies.isEmpty()) {
                        problems.put(
                                dashboard.name() + " " + query,
                                "repeats over $" + query.repeat() + ", which has no values");
                    }
                    for (Map<String, String> copy : copies) {
                        String expr = variables.interpolate(query.expr(), copy);
                        JsonNode result = prometheus.query(expr);
                        evaluated++;
                        if (!hasFiniteValue(result)) {
                            problems.put(
                                    dashboard.name() + " " + query + (copy.isEmpty() ? "" : " " + copy),
                                    expr + " -> " + result);
                        }
                    }
                }
            }
            if (problems.isEmpty()) {
                break;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        assertThat(evaluated).as("queries evaluated").isGreaterThan(20);
        return problems;
    }

    private static boolean hasFiniteValue(JsonNode result) {
        for (JsonNode sample : result) {
            String value = sample.path("value").path(1).asText("NaN");
            try {
                if (Double.isFinite(Double.parseDouble(value))) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // not a number
            }
        }
        return false;
    }

    /** The controller's render of the example, in this test's namespace: what a cluster would run. */
    private static String render(Path work) throws Exception {
        ObjectNode sdep = (ObjectNode)
                Manifests.documents(Files.readString(REPO.resolve("examples").resolve(DEPLOYMENT + ".yaml")), "example")
                        .get(0);
        ((ObjectNode) sdep.path("metadata")).put("namespace", NAMESPACE);
        Path file = work.resolve("sdep.yaml");
        Files.writeString(file, Manifests.toYaml(sdep));
        Command render = Command.run(
                List.of(
                        java(),
                        "-jar",
                        REPO.resolve("controller/target/seldonj-controller-0.1.0-SNAPSHOT.jar")
                                .toString(),
                        "render",
                        "-f",
                        file.toString()),
                Map.of(),
                null,
                Duration.ofMinutes(2));
        return render.orThrow();
    }

    private static void checkConfig(String config) throws Exception {
        Path file = Files.createTempFile("prometheus", ".yml");
        try {
            Files.writeString(file, config);
            Command check = Command.run(
                    List.of(promtool(), "check", "config", file.toString()), Map.of(), null, Duration.ofSeconds(30));
            assertThat(check.exit())
                    .as("promtool check config:\n%s\n%s%s", config, check.stdout(), check.stderr())
                    .isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Upstream's promtool of the server's release (Debian's cannot read kubernetes_sd_configs), from {@code make prometheus-tools}. */
    private static String promtool() {
        Path promtool = REPO.resolve(".tools/prometheus/bin/promtool");
        assertThat(promtool).as("promtool; `make prometheus-tools` builds it").isExecutable();
        return promtool.toString();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
