package dev.seldonj.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRD checked in to the operator chart is the one the model generates, and fits client-side apply. */
class CrdDriftTest {

    private static final Path CHECKED_IN = Path.of("..").resolve(CrdFile.CHART_FILE);

    @Test
    void checkedInCrdMatchesTheModel() throws IOException {
        String expected = CrdFile.renderFromClasspath();
        assertThat(Files.exists(CHECKED_IN))
                .as(CHECKED_IN + " exists (run `make crd`)")
                .isTrue();
        String actual = Files.readString(CHECKED_IN, StandardCharsets.UTF_8);
        assertThat(actual)
                .as("%s differs from the model in api/: run `make crd` and commit the result", CHECKED_IN)
                .isEqualTo(expected);
    }

    @Test
    void crdFitsTheAnnotationLimitOfClientSideApply() throws IOException {
        assertThat(Files.size(CHECKED_IN)).isLessThan(256 * 1024);
        JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(CHECKED_IN.toFile());
        assertThat(new ObjectMapper().writeValueAsBytes(crd).length).isLessThan(256 * 1024);
    }

    @Test
    void crdServesThreeVersionsStoringV1WithStatusScaleAndColumns() throws IOException {
        JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(CHECKED_IN.toFile());
        assertThat(crd.at("/spec/group").asText()).isEqualTo("machinelearning.seldon.io");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("sdep");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        List<String> served = new ArrayList<>();
        for (JsonNode v : crd.at("/spec/versions")) {
            served.add(v.path("name").asText());
            assertThat(v.path("served").asBoolean()).isTrue();
            assertThat(v.path("storage").asBoolean())
                    .isEqualTo("v1".equals(v.path("name").asText()));
            assertThat(v.at("/subresources/status").isObject()).isTrue();
            assertThat(v.at("/subresources/scale/specReplicasPath").asText()).isEqualTo(".spec.replicas");
            assertThat(v.at("/subresources/scale/statusReplicasPath").asText()).isEqualTo(".status.replicas");
            List<String> columns = new ArrayList<>();
            v.path("additionalPrinterColumns")
                    .forEach(c -> columns.add(c.path("name").asText()));
            assertThat(columns).contains("State", "Age");
            assertThat(graphDepth(v.at(
                            "/schema/openAPIV3Schema/properties/spec/properties/predictors/items/properties/graph")))
                    .isGreaterThanOrEqualTo(10);
        }
        assertThat(served).containsExactlyInAnyOrder("v1", "v1alpha2", "v1alpha3");
    }

    /** Levels of children the schema describes field by field. */
    private static int graphDepth(JsonNode unit) {
        JsonNode children = unit.at("/properties/children/items");
        return children.has("properties") ? 1 + graphDepth(children) : 0;
    }
}
