package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import java.util.List;
import java.util.Set;

/** Checks every rendering must pass, whatever the values. */
final class ChartChecks {

    /** Kinds without a fabric8 model; each is checked by its own test. */
    private static final Set<String> CHECKED_ELSEWHERE = Set.of("SeldonDeployment");

    private static final SeldonDeploymentValidator VALIDATOR = SeldonDeploymentValidator.withDefaults();

    private ChartChecks() {}

    /** Every object reads as its typed Kubernetes model with no unknown field; SeldonDeployments validate. */
    static void wellFormed(Manifest manifest) {
        assertThat(manifest.objects())
                .as("objects rendered by %s", manifest.source())
                .isNotEmpty();
        for (JsonNode object : manifest.objects()) {
            String identity = Manifest.identity(object);
            assertThat(object.path("apiVersion").asText())
                    .as("apiVersion of %s", identity)
                    .isNotEmpty();
            assertThat(object.path("metadata").path("name").asText())
                    .as("name of %s", identity)
                    .isNotEmpty();
            if (object.path("kind").asText().equals("SeldonDeployment")) {
                validSeldonDeployment(object);
            } else if (!CHECKED_ELSEWHERE.contains(object.path("kind").asText())) {
                assertThat(KubernetesObjects.unknownFields(object))
                        .as("unknown fields of %s", identity)
                        .isEmpty();
            }
        }
        List<String> identities = manifest.identities();
        assertThat(identities).as("objects of %s", manifest.source()).doesNotHaveDuplicates();
    }

    static SeldonDeploymentValidator.Result validSeldonDeployment(JsonNode object) {
        SeldonDeploymentValidator.Result result = VALIDATOR.validate(object);
        assertThat(result.errors())
                .as("validation of %s", Manifest.identity(object))
                .isEmpty();
        assertThat(result.valid()).isTrue();
        return result;
    }
}
