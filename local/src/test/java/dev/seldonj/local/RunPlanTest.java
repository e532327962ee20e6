package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.testing.RenderedObjects;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunPlanTest {

    @Test
    void readsARenderStreamOfDeploymentsServicesAndMappings() {
        String stream = RenderedObjects.of(RenderedObjects.seed004()).stream()
                        .map(Serialization::asYaml)
                        .collect(Collectors.joining())
                + "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ignored}\n";
        RunPlan plan = RunPlan.fromYaml(stream, "render", "default");
        assertThat(plan.pods()).singleElement().satisfies(pod -> {
            assertThat(pod.name()).isEqualTo("seldon-model-example-0-classifier");
            assertThat(pod.containers())
                    .extracting(c -> c.getName())
                    .containsExactly("classifier", "seldon-container-engine");
        });
        assertThat(plan.services())
                .extracting(s -> s.name())
                .containsExactlyInAnyOrder("seldon-model-example", "seldon-model-example-classifier");
        assertThat(plan.mappings())
                .hasSize(2)
                .anySatisfy(m -> {
                    assertThat(m.prefix()).isEqualTo("/seldon/default/seldon-model/");
                    assertThat(m.service()).isEqualTo("seldon-model-example.default:8000");
                    assertThat(m.grpc()).isFalse();
                })
                .anySatisfy(m -> {
                    assertThat(m.grpc()).isTrue();
                    assertThat(m.headers())
                            .containsEntry("seldon", "seldon-model")
                            .containsEntry("namespace", "default");
                });
    }

    @Test
    void aDocumentThatIsNotAKubernetesObjectIsNamed() {
        assertThatThrownBy(() -> RunPlan.fromYaml(
                        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\nfoo: bar\n",
                        "objects.yaml",
                        "default"))
                .hasMessage("objects.yaml: document 2 is not a Kubernetes object (it needs apiVersion and kind)");
    }
}
