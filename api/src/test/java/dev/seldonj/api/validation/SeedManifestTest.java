package dev.seldonj.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SeldonDeployments written in the seed documents: valid ones pass, malformed ones name their fault. */
class SeedManifestTest {

    private final SeldonDeploymentValidator validator = SeldonDeploymentValidator.withDefaults();

    static String seed(String name) {
        try (InputStream in = SeedManifestTest.class.getResourceAsStream("/seeds/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-sklearn-service-account.yaml", "002-sklearn.yaml", "004-seldon-model.yaml"})
    void validSeedsAreAccepted(String name) {
        var result = Manifests.readResult(seed(name), name, validator);
        assertThat(result.problems()).isEmpty();
        assertThat(result.valid()).isTrue();
        assertThat(result.deployment().getSpec().getPredictors()).hasSize(1);
    }

    @Test
    void quotedReplicasAreReadWithAWarningNamingThePath() {
        var result = Manifests.readResult(seed("002-private-model.yaml"), "002", validator);
        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).extracting(Problem::path).containsExactly("spec.predictors[0].replicas");
        assertThat(result.deployment().getSpec().getPredictors().get(0).getReplicas())
                .isEqualTo(1);
    }

    @Test
    void seedFourReadsAsTheMockClassifier() {
        SeldonDeployment sdep = Manifests.read(seed("004-seldon-model.yaml"), "004", validator);
        assertThat(sdep.getMetadata().getName()).isEqualTo("seldon-model");
        // v1alpha2 and v1alpha3 share v1's schema: they are read as v1, as the API server serves the stored version.
        assertThat(sdep.getApiVersion()).isEqualTo("machinelearning.seldon.io/v1");
        assertThat(sdep.getSpec()
                        .getPredictors()
                        .get(0)
                        .getComponentSpecs()
                        .get(0)
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("seldonio/mock_classifier:1.0");
    }

    @Test
    void childrenWrittenAsAMapAreRejectedAtTheirPath() {
        var result = Manifests.readResult(seed("000-complex-malformed.yaml"), "000", validator);
        assertThat(result.valid()).isFalse();
        assertThat(result.errors())
                .extracting(Problem::toString)
                .contains("spec.predictors[0].graph.children: expected an array, got an object");
    }

    @Test
    void componentSpecsSplitFromTheirPredictorAreRejectedAtTheirPaths() {
        var result = Manifests.readResult(seed("000-sklearn-malformed.yaml"), "000", validator);
        assertThat(result.valid()).isFalse();
        assertThat(result.errors())
                .extracting(Problem::toString)
                .contains(
                        "spec.predictors[0].componentSpecs: expected an array, got nothing",
                        "spec.predictors[0].graph: required field is missing",
                        "spec.predictors[1].spec: unknown field",
                        "spec.predictors[1].name: required field is missing");
    }
}
