package dev.seldonj.desired;

import static dev.seldonj.desired.Fixtures.MODEL;
import static dev.seldonj.desired.Fixtures.named;
import static dev.seldonj.desired.Fixtures.ofType;
import static dev.seldonj.desired.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicesTest {

    final List<HasMetadata> objects = render(MODEL);

    @Test
    void predictorServicePointsAtTheEngine() {
        Service svc = named(objects, Service.class, "mymodel-main");
        assertThat(svc.getSpec().getSelector()).containsExactlyEntriesOf(Map.of("seldon-app", "mymodel-main"));
        assertThat(svc.getSpec().getPorts())
                .extracting(p -> p.getName() + ":" + p.getPort() + "->"
                        + p.getTargetPort().getIntVal())
                .containsExactly("http:8000->8000", "grpc:5001->5001");
        assertThat(svc.getMetadata().getLabels())
                .containsEntry("seldon-app", "mymodel-main")
                .containsEntry("seldon-deployment-id", "mymodel");
        assertThat(svc.getMetadata().getAnnotations()).containsEntry("team", "ml");
        assertThat(svc.getSpec().getClusterIP()).isNull();
    }

    @Test
    void oneServicePerGraphContainerSelectingItsPod() {
        assertThat(ofType(objects, Service.class))
                .extracting(s -> s.getMetadata().getName())
                .containsExactly(
                        "mymodel-main",
                        "mymodel-main-transformer",
                        "mymodel-main-classifier",
                        "mymodel-main-remote",
                        "mymodel-canary",
                        "mymodel-canary-classifier");
        Service remote = named(objects, Service.class, "mymodel-main-remote");
        assertThat(remote.getSpec().getSelector()).containsEntry("seldon-app-svc-remote", "mymodel-main-remote");
        assertThat(remote.getSpec().getPorts())
                .extracting(p -> p.getName() + ":" + p.getPort())
                .containsExactly("http:9002", "grpc:9502");
        assertThat(remote.getMetadata().getLabels()).containsEntry("seldon.io/model", "true");
    }

    @Test
    void customNameHeadlessAndNoEngine() {
        List<HasMetadata> out = render(
                Fixtures.singleModel(
                        "plain",
                        "",
                        "    annotations: {seldon.io/no-engine: \"true\", seldon.io/svc-name: entry, seldon.io/headless-svc: \"true\"}\n"));
        Service svc = named(out, Service.class, "entry");
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(svc.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(9000, 9500);
    }
}
