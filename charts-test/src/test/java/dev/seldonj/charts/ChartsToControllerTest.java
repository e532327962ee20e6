package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.desired.DesiredState;
import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two charts meet in the controller: the operator chart's configuration is what the controller
 * reads, and the single-model chart's SeldonDeployment becomes the Deployment users expect.
 */
class ChartsToControllerTest {

    /** The operator chart's controller.yaml, bound as the controller binds it. */
    private static OperatorConfig operatorConfig(Map<String, ?> values) {
        return OperatorConfigLoader.fromYaml(OperatorChartTest.controllerYaml(OperatorChartTest.render(values)));
    }

    /**
     * values.yaml and defaults.yml cannot drift: with default values the chart's settings are exactly
     * the controller's defaults. The Lease is the one setting the chart derives from the release (its
     * name and namespace), so it is compared with those.
     */
    @Test
    void defaultValuesRenderExactlyTheControllersDefaults() {
        OperatorConfig rendered = operatorConfig(Map.of());
        OperatorConfig defaults = OperatorConfigLoader.defaults();

        assertThat(rendered.leaderElection())
                .isEqualTo(new OperatorConfig.LeaderElection(
                        defaults.leaderElection().enabled(),
                        OperatorChartTest.RELEASE + "-leader",
                        HelmRender.NAMESPACE));
        assertThat(withLeaderElection(rendered, defaults.leaderElection()))
                .usingRecursiveComparison()
                .isEqualTo(defaults);
    }

    private static OperatorConfig withLeaderElection(OperatorConfig c, OperatorConfig.LeaderElection election) {
        return new OperatorConfig(
                c.controllerId(),
                c.watchNamespaces(),
                election,
                c.ambassador(),
                c.istio(),
                c.keda(),
                c.defaultUserId(),
                c.deploymentNameAsPrefix(),
                c.engine(),
                c.predictiveUnit(),
                c.storageInitializer(),
                c.explainer(),
                c.webhook(),
                c.predictorServers());
    }

    @Test
    void singleModelRendersIntoTheExpectedDeploymentUnderTheChartsConfiguration() {
        OperatorConfig config = operatorConfig(Map.of("executor.image.tag", "9.9.9"));
        Manifest manifest =
                SingleModelChartTest.render("my-model", Map.of("model.image.name", "seldonio/mock_classifier:1.0"));
        SeldonDeployment sdep = SingleModelChartTest.deployment(manifest);
        sdep.getMetadata().setNamespace("models");

        List<HasMetadata> objects = DesiredState.of(sdep, config);
        List<Deployment> deployments = objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .toList();
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactly("my-model-default-0-model");
        Deployment deployment = deployments.get(0);
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("models");
        assertThat(deployment.getMetadata().getLabels()).containsEntry("seldon-deployment-id", "my-model");
        List<Container> containers =
                deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers)
                .extracting(Container::getName)
                .containsExactlyInAnyOrder("model", "seldon-container-engine");
        Container model = containers.stream()
                .filter(c -> c.getName().equals("model"))
                .findFirst()
                .orElseThrow();
        assertThat(model.getImage()).isEqualTo("seldonio/mock_classifier:1.0");
        assertThat(model.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("PREDICTIVE_UNIT_HTTP_SERVICE_PORT");
            assertThat(e.getValue()).isEqualTo("9000");
        });
        Container engine = containers.stream()
                .filter(c -> c.getName().equals("seldon-container-engine"))
                .findFirst()
                .orElseThrow();
        assertThat(engine.getImage()).isEqualTo("seldonj/engine:9.9.9");
        assertThat(engine.getArgs())
                .containsSubsequence("--sdep", "my-model", "--namespace", "models", "--predictor", "default");
        assertThat(objects).extracting(HasMetadata::getKind).contains("Service", "Mapping");
    }
}
