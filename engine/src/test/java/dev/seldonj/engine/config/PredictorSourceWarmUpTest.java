package dev.seldonj.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.model.SeldonDeployment;
import org.junit.jupiter.api.Test;

/** The warm-up swallows errors (it is only a warm-up): these make sure its graphs read all the way through. */
class PredictorSourceWarmUpTest {

    @Test
    void theFileReadersGraphIsValidatedAndDefaulted() {
        SeldonDeployment sdep = PredictorSource.warmUpFileReader();
        var predictor = sdep.getSpec().getPredictors().get(0);
        assertThat(predictor
                        .getComponentSpecs()
                        .get(0)
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getName())
                .isEqualTo("m");
        // Set by the defaulter only.
        assertThat(predictor.getGraph().getEndpoint()).isNotNull();
    }

    @Test
    void theEnvironmentReadersGraphBindsWithItsPodSpec() throws Exception {
        assertThat(PredictorSource.warmUpEnvReader()
                        .getComponentSpecs()
                        .get(0)
                        .getSpec()
                        .getContainers())
                .hasSize(1);
    }
}
