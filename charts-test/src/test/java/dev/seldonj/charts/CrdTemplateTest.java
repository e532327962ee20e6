package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.manifest.Manifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart installs the generated CRD itself, compact, with the keep switch. */
class CrdTemplateTest {

    private static final String NAME = "seldondeployments.machinelearning.seldon.io";

    @Test
    void renderedCrdIsTheGeneratedOneApartFromLabelsAndAnnotations() throws Exception {
        JsonNode rendered = HelmRender.of(Repository.OPERATOR, "op").render().get("CustomResourceDefinition", NAME);
        JsonNode generated = Manifests.documents(Files.readString(Repository.GENERATED_CRD), "generated CRD")
                .get(0);

        assertThat(rendered.at("/metadata/annotations/helm.sh~1resource-policy").asText())
                .isEqualTo("keep");
        assertThat(rendered.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
                .isEqualTo("Helm");
        ObjectNode withoutChartMetadata = rendered.deepCopy();
        ((ObjectNode) withoutChartMetadata.path("metadata")).remove("annotations");
        ((ObjectNode) withoutChartMetadata.path("metadata")).remove("labels");
        assertThat(withoutChartMetadata).isEqualTo(generated);
    }

    @Test
    void renderedCrdStaysFarBelowTheClientSideApplyLimit() {
        JsonNode rendered = HelmRender.of(Repository.OPERATOR, "op").render().get("CustomResourceDefinition", NAME);
        int jsonBytes = rendered.toString().getBytes(StandardCharsets.UTF_8).length;
        assertThat(jsonBytes).isLessThan(256 * 1024);
    }

    @Test
    void keepAndCreateSwitches() {
        JsonNode notKept = HelmRender.of(Repository.OPERATOR, "op")
                .set("crd.keep", false)
                .render()
                .get("CustomResourceDefinition", NAME);
        assertThat(notKept.at("/metadata/annotations").isMissingNode()).isTrue();

        JsonNode annotated = HelmRender.of(Repository.OPERATOR, "op")
                .set(Map.of("crd.keep", false, "crd.annotations.team", "ml"))
                .render()
                .get("CustomResourceDefinition", NAME);
        assertThat(annotated.at("/metadata/annotations/team").asText()).isEqualTo("ml");

        Manifest withoutCrd = HelmRender.of(Repository.OPERATOR, "op")
                .set("crd.create", false)
                .render();
        assertThat(withoutCrd.ofKind("CustomResourceDefinition")).isEmpty();
    }
}
