package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** seldon-abtest and seldon-mab render valid two-model router graphs for the engine's built-in routers. */
class RouterChartsTest {

    private static final Path ABTEST = Repository.CHARTS.resolve("seldon-abtest");
    private static final Path MAB = Repository.CHARTS.resolve("seldon-mab");

    private static JsonNode render(Path chart, Map<String, ?> values) {
        Manifest manifest = HelmRender.of(chart, "experiment")
                .namespace("models")
                .set(values)
                .render();
        ChartChecks.wellFormed(manifest);
        return manifest.only("SeldonDeployment");
    }

    @Test
    void abtestSplitsBetweenTwoModelsInSeparatePods() {
        JsonNode sdep = render(ABTEST, Map.of());
        JsonNode graph = sdep.at("/spec/predictors/0/graph");
        assertThat(graph.path("implementation").asText()).isEqualTo("RANDOM_ABTEST");
        assertThat(graph.at("/parameters/0").toString())
                .isEqualTo("{\"name\":\"ratioA\",\"type\":\"FLOAT\",\"value\":\"0.5\"}");
        assertThat(graph.at("/children/0/name").asText()).isEqualTo("classifier-1");
        assertThat(graph.at("/children/1/name").asText()).isEqualTo("classifier-2");
        assertThat(sdep.at("/spec/predictors/0/componentSpecs")).hasSize(2);
    }

    @Test
    void abtestOptions() {
        JsonNode sdep = render(
                ABTEST,
                Map.of(
                        "separate_pods",
                        false,
                        "traffic_modela_percentage",
                        0.8,
                        "replicas",
                        2,
                        "modela.image.name",
                        "me/a",
                        "modela.image.version",
                        "1",
                        "apiVersion",
                        "machinelearning.seldon.io/v1alpha2",
                        "fullnameOverride",
                        "ab",
                        "predictor.name",
                        "main",
                        "sdepLabels.app",
                        "seldon"));
        assertThat(sdep.at("/metadata/name").asText()).isEqualTo("ab");
        assertThat(sdep.at("/metadata/labels/app").asText()).isEqualTo("seldon");
        assertThat(sdep.path("apiVersion").asText()).endsWith("v1alpha2");
        JsonNode predictor = sdep.at("/spec/predictors/0");
        assertThat(predictor.path("name").asText()).isEqualTo("main");
        assertThat(predictor.path("replicas").asInt()).isEqualTo(2);
        assertThat(predictor.at("/graph/parameters/0/value").asText()).isEqualTo("0.8");
        assertThat(predictor.path("componentSpecs")).hasSize(1);
        assertThat(predictor.at("/componentSpecs/0/spec/containers/0/image").asText())
                .isEqualTo("me/a:1");
    }

    @Test
    void abtestRefusesWhatCannotWork() {
        assertThatThrownBy(() -> render(ABTEST, Map.of("traffic_modela_percentage", 1.5)))
                .hasMessageContaining("traffic_modela_percentage");
        assertThatThrownBy(() -> render(ABTEST, Map.of("modelb.name", "classifier-1")))
                .hasMessageContaining("different names");
        assertThatThrownBy(() -> render(ABTEST, Map.of("separate_pod", true))).hasMessageContaining("separate_pod");
    }

    @Test
    void mabUsesTheEnginesEpsilonGreedyBandit() {
        JsonNode graph = render(MAB, Map.of()).at("/spec/predictors/0/graph");
        assertThat(graph.path("type").asText()).isEqualTo("ROUTER");
        assertThat(graph.path("implementation").asText()).isEqualTo("EPSILON_GREEDY");
        assertThat(graph.path("parameters").toString())
                .isEqualTo(
                        "[{\"name\":\"n_branches\",\"type\":\"INT\",\"value\":\"2\"},{\"name\":\"epsilon\",\"type\":\"FLOAT\",\"value\":\"0.2\"}]");
        assertThat(graph.path("children")).hasSize(2);
    }

    @Test
    void mabOptions() {
        JsonNode thompson = render(
                MAB,
                Map.of(
                        "mab.implementation",
                        "THOMPSON_SAMPLING",
                        "mab.seed",
                        7,
                        "mab.name",
                        "ts-router",
                        "engine.resources.requests.cpu",
                        "0.1",
                        "engine.env.SELDON_LOG_LEVEL",
                        "DEBUG"));
        JsonNode graph = thompson.at("/spec/predictors/0/graph");
        assertThat(graph.path("implementation").asText()).isEqualTo("THOMPSON_SAMPLING");
        assertThat(graph.path("name").asText()).isEqualTo("ts-router");
        assertThat(graph.at("/parameters/2").toString())
                .isEqualTo("{\"name\":\"seed\",\"type\":\"INT\",\"value\":\"7\"}");
        assertThat(thompson.at("/spec/predictors/0/svcOrchSpec/resources/requests/cpu")
                        .asText())
                .isEqualTo("0.1");

        JsonNode container =
                render(MAB, Map.of("mab.image.name", "seldonio/mab_epsilon_greedy", "mab.image.version", "1.18.2"));
        JsonNode router = container.at("/spec/predictors/0/graph");
        assertThat(router.path("implementation").isMissingNode()).isTrue();
        assertThat(router.at("/parameters/2/name").asText()).isEqualTo("verbose");
        assertThat(container
                        .at("/spec/predictors/0/componentSpecs/2/spec/containers/0/image")
                        .asText())
                .isEqualTo("seldonio/mab_epsilon_greedy:1.18.2");
    }

    @Test
    void mabRefusesWhatCannotWork() {
        assertThatThrownBy(() -> render(MAB, Map.of("mab.branches", 3))).hasMessageContaining("mab.branches");
        assertThatThrownBy(() -> render(MAB, Map.of("mab.epsilon", 2))).hasMessageContaining("mab.epsilon");
        assertThatThrownBy(() -> render(MAB, Map.of("mab.implementation", "UCB")))
                .hasMessageContaining("mab.implementation");
    }
}
