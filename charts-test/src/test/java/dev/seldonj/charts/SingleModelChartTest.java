package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.SeldonDeployment;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** seldon-single-model renders one valid SeldonDeployment from the values Seldon's users type. */
class SingleModelChartTest {

    static Manifest render(String release, Map<String, ?> values) {
        return HelmRender.of(Repository.SINGLE_MODEL, release)
                .namespace("models")
                .set(values)
                .render();
    }

    static SeldonDeployment deployment(Manifest manifest) {
        ChartChecks.wellFormed(manifest);
        return ChartChecks.validSeldonDeployment(manifest.only("SeldonDeployment"))
                .deployment();
    }

    @Test
    void theSeedsCommandLineRendersAValidSeldonDeployment() {
        Manifest manifest = render(
                "test-ml-seldon-app", Map.of("model.image.name", "alexioannides/test-ml-score-seldon-api:latest"));
        assertThat(manifest.identities()).containsExactly("SeldonDeployment/models/test-ml-seldon-app");
        SeldonDeployment sdep = deployment(manifest);
        PredictorSpec predictor = sdep.getSpec().getPredictors().get(0);
        assertThat(predictor.getName()).isEqualTo("default");
        assertThat(predictor.getReplicas()).isNull();
        assertThat(sdep.getSpec().getReplicas())
                .as("at the scale subresource's path")
                .isEqualTo(1);
        PredictiveUnit graph = predictor.getGraph();
        assertThat(graph.getName()).isEqualTo("model");
        assertThat(graph.getType().wireName()).isEqualTo("MODEL");
        var container =
                predictor.getComponentSpecs().get(0).getSpec().getContainers().get(0);
        assertThat(container.getName()).isEqualTo("model");
        assertThat(container.getImage()).isEqualTo("alexioannides/test-ml-score-seldon-api:latest");
        assertThat(container.getEnv()).singleElement().satisfies(env -> {
            assertThat(env.getName()).isEqualTo("LOG_LEVEL");
            assertThat(env.getValue()).isEqualTo("INFO");
        });
    }

    @Test
    void theImageAsOneStringRendersTheSame() {
        JsonNode asObject = render("m", Map.of("model.image.name", "seldonio/mock_classifier:1.0"))
                .only("SeldonDeployment");
        JsonNode asString = render("m", Map.of("model.image", "seldonio/mock_classifier:1.0"))
                .only("SeldonDeployment");
        assertThat(asString).isEqualTo(asObject);
    }

    @Test
    void withoutAnImageOrAServerTheInstallFailsSayingWhatToSet() {
        assertThatThrownBy(() -> render("m", Map.of()))
                .isInstanceOf(HelmRender.HelmException.class)
                .hasMessageContaining("model.image.name");
    }

    @Test
    void aMisspelledValueIsRejectedNamingIt() {
        assertThatThrownBy(() -> render("m", Map.of("model.imag.name", "x")))
                .isInstanceOf(HelmRender.HelmException.class)
                .hasMessageContaining("imag");
        assertThatThrownBy(() -> render("m", Map.of("model.image", "x", "replica", 2)))
                .hasMessageContaining("replica");
        assertThatThrownBy(() -> render("m", Map.of("model.image", "x", "protocol", "grpc")))
                .hasMessageContaining("protocol");
    }

    @Test
    void twoReleasesInOneNamespaceRenderTwoDeployments() {
        Manifest a = render("model-a", Map.of("model.image", "x:1"));
        Manifest b = render("model-b", Map.of("model.image", "x:1"));
        assertThat(a.identities()).doesNotContainAnyElementsOf(b.identities());
    }

    private static Arguments option(String name, Map<String, ?> values, Consumer<JsonNode> expect) {
        return Arguments.of(name, values, expect);
    }

    static Stream<Arguments> options() {
        return Stream.of(
                option(
                        "fullnameOverride names the deployment",
                        Map.of("fullnameOverride", "iris", "nameOverride", "sm"),
                        sdep -> {
                            assertThat(sdep.at("/metadata/name").asText()).isEqualTo("iris");
                            assertThat(sdep.at("/metadata/labels/app.kubernetes.io~1name")
                                            .asText())
                                    .isEqualTo("sm");
                        }),
                option(
                        "prepackaged server with a model URI and secret",
                        Map.of(
                                "model.image",
                                "",
                                "model.implementation",
                                "SKLEARN_SERVER",
                                "model.uri",
                                "gs://seldon-models/sklearn/iris",
                                "model.envSecretRefName",
                                "seldon-init-container-secret"),
                        sdep -> {
                            JsonNode graph = sdep.at("/spec/predictors/0/graph");
                            assertThat(graph.path("implementation").asText()).isEqualTo("SKLEARN_SERVER");
                            assertThat(graph.path("modelUri").asText()).isEqualTo("gs://seldon-models/sklearn/iris");
                            assertThat(graph.path("envSecretRefName").asText())
                                    .isEqualTo("seldon-init-container-secret");
                            assertThat(sdep.at("/spec/predictors/0/componentSpecs/0/spec/containers/0/image")
                                            .isMissingNode())
                                    .isTrue();
                        }),
                option(
                        "MLflow content type",
                        Map.of(
                                "model.implementation",
                                "MLFLOW_SERVER",
                                "model.uri",
                                "s3://m",
                                "model.mlflow.xtype",
                                "DataFrame"),
                        sdep -> assertThat(sdep.at("/spec/predictors/0/graph/parameters/0")
                                        .toString())
                                .isEqualTo("{\"name\":\"xtype\",\"type\":\"STRING\",\"value\":\"DataFrame\"}")),
                option(
                        "model name, pull policy, env and resources",
                        Map.of(
                                "model.name",
                                "classifier",
                                "model.image.pullPolicy",
                                "Always",
                                "model.env.WORKERS",
                                4,
                                "model.resources.limits.cpu",
                                "1",
                                "model.resources.requests.memory",
                                "2Gi"),
                        sdep -> {
                            JsonNode container = sdep.at("/spec/predictors/0/componentSpecs/0/spec/containers/0");
                            assertThat(container.path("name").asText()).isEqualTo("classifier");
                            assertThat(sdep.at("/spec/predictors/0/graph/name").asText())
                                    .isEqualTo("classifier");
                            assertThat(container.path("imagePullPolicy").asText())
                                    .isEqualTo("Always");
                            assertThat(container.path("env").toString())
                                    .isEqualTo(
                                            "[{\"name\":\"LOG_LEVEL\",\"value\":\"INFO\"},{\"name\":\"WORKERS\",\"value\":\"4\"}]");
                            assertThat(container.at("/resources/limits/cpu").asText())
                                    .isEqualTo("1");
                            assertThat(container
                                            .at("/resources/requests/memory")
                                            .asText())
                                    .isEqualTo("2Gi");
                        }),
                option(
                        "replicas and predictor",
                        Map.of("replicas", 3, "predictor.name", "main", "predictorLabels.version", "v1"),
                        sdep -> {
                            assertThat(sdep.at("/spec/replicas").asInt()).isEqualTo(3);
                            assertThat(sdep.at("/spec/predictors/0/replicas").isMissingNode())
                                    .isTrue();
                            assertThat(sdep.at("/spec/predictors/0/name").asText())
                                    .isEqualTo("main");
                            assertThat(sdep.at("/spec/predictors/0/labels/version")
                                            .asText())
                                    .isEqualTo("v1");
                        }),
                option(
                        "protocol v2",
                        Map.of("protocol", "v2"),
                        sdep -> assertThat(sdep.at("/spec/protocol").asText()).isEqualTo("v2")),
                option(
                        "apiVersion v1alpha2",
                        Map.of("apiVersion", "machinelearning.seldon.io/v1alpha2"),
                        sdep -> assertThat(sdep.path("apiVersion").asText())
                                .isEqualTo("machinelearning.seldon.io/v1alpha2")),
                option("hpa with Seldon's default metric", Map.of("hpa.enabled", true, "hpa.maxReplicas", 4), sdep -> {
                    JsonNode hpa = sdep.at("/spec/predictors/0/componentSpecs/0/hpaSpec");
                    assertThat(hpa.path("minReplicas").asInt()).isEqualTo(1);
                    assertThat(hpa.path("maxReplicas").asInt()).isEqualTo(4);
                    assertThat(hpa.at("/metrics/0/resource/targetAverageUtilization")
                                    .asInt())
                            .isEqualTo(10);
                }),
                option(
                        "hpa with autoscaling/v2 metrics",
                        Map.of(
                                "hpa.enabled",
                                true,
                                "hpa.metricsv2[0].type",
                                "Resource",
                                "hpa.metricsv2[0].resource.name",
                                "cpu",
                                "hpa.metricsv2[0].resource.target.type",
                                "Utilization",
                                "hpa.metricsv2[0].resource.target.averageUtilization",
                                50),
                        sdep -> {
                            JsonNode hpa = sdep.at("/spec/predictors/0/componentSpecs/0/hpaSpec");
                            assertThat(hpa.path("metrics").isMissingNode()).isTrue();
                            assertThat(hpa.at("/metricsv2/0/resource/target/averageUtilization")
                                            .asInt())
                                    .isEqualTo(50);
                        }),
                option(
                        "logger",
                        Map.of("model.logger.enabled", true, "model.logger.url", "http://logger.seldon"),
                        sdep -> assertThat(sdep.at("/spec/predictors/0/graph/logger")
                                        .toString())
                                .isEqualTo("{\"mode\":\"all\",\"url\":\"http://logger.seldon\"}")),
                option(
                        "labels and annotations",
                        Map.of(
                                "labels.team",
                                "ml",
                                "sdepLabels.app",
                                "seldon",
                                "annotations.seldon\\.io/rest-timeout",
                                "5000",
                                "model.annotations.seldon\\.io/grpc-timeout",
                                "6000"),
                        sdep -> {
                            assertThat(sdep.at("/metadata/labels/team").asText())
                                    .isEqualTo("ml");
                            assertThat(sdep.at("/metadata/labels/app").asText()).isEqualTo("seldon");
                            assertThat(sdep.at("/spec/annotations/seldon.io~1rest-timeout")
                                            .asText())
                                    .isEqualTo("5000");
                            assertThat(sdep.at("/spec/annotations/seldon.io~1grpc-timeout")
                                            .asText())
                                    .isEqualTo("6000");
                        }),
                option(
                        "engine resources and env (svcOrchSpec)",
                        Map.of("engine.resources.requests.cpu", "0.1", "engine.env.SELDON_LOG_LEVEL", "DEBUG"),
                        sdep -> {
                            JsonNode svcOrch = sdep.at("/spec/predictors/0/svcOrchSpec");
                            assertThat(svcOrch.at("/resources/requests/cpu").asText())
                                    .isEqualTo("0.1");
                            assertThat(svcOrch.at("/env/0/name").asText()).isEqualTo("SELDON_LOG_LEVEL");
                        }),
                option("legacy oauth", Map.of("oauth.key", "k", "oauth.secret", "s"), sdep -> {
                    assertThat(sdep.at("/spec/oauth_key").asText()).isEqualTo("k");
                    assertThat(sdep.at("/spec/oauth_secret").asText()).isEqualTo("s");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void rendersOption(String name, Map<String, ?> values, Consumer<JsonNode> expect) {
        HelmRender render = HelmRender.of(Repository.SINGLE_MODEL, "my-model").namespace("models");
        if (!values.containsKey("model.image") && !values.containsKey("model.implementation")) {
            render.set("model.image.name", "seldonio/mock_classifier:1.0");
        }
        Manifest manifest = render.set(values).render();
        deployment(manifest);
        expect.accept(manifest.only("SeldonDeployment"));
    }
}
