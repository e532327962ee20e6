package dev.seldonj.desired;

import static dev.seldonj.desired.Fixtures.container;
import static dev.seldonj.desired.Fixtures.env;
import static dev.seldonj.desired.Fixtures.generic;
import static dev.seldonj.desired.Fixtures.named;
import static dev.seldonj.desired.Fixtures.render;
import static dev.seldonj.desired.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExplainersTest {

    static final String EXPLAINED = "    explainer: {type: AnchorTabular, modelUri: gs://seldon-models/explainer, "
            + "config: {threshold: \"0.95\"}, envSecretRefName: creds}\n";

    @Test
    void explainerDeploymentServiceAndRouteOnTheSeldonProtocol() {
        List<HasMetadata> objects = render(Fixtures.singleModel("income", "", EXPLAINED));
        Deployment d = named(objects, Deployment.class, "income-p-explainer");
        Container c = container(d, "explainer");
        assertThat(c.getImage()).isEqualTo("seldonio/alibiexplainer:1.18.2");
        assertThat(c.getArgs())
                .containsExactly(
                        "--model_name=m",
                        "--predictor_host=income-p.default:8000",
                        "--protocol=seldon.http",
                        "--http_port=9000",
                        "--storage_uri=/mnt/models",
                        "AnchorTabular",
                        "--threshold=0.95");
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers().get(0).getArgs())
                .containsExactly("gs://seldon-models/explainer", "/mnt/models");
        assertThat(pod.getInitContainers()
                        .get(0)
                        .getEnvFrom()
                        .get(0)
                        .getSecretRef()
                        .getName())
                .isEqualTo("creds");
        assertThat(d.getMetadata().getLabels()).containsEntry("seldon.io/explainer", "true");
        Service svc = named(objects, Service.class, "income-p-explainer");
        assertThat(svc.getSpec().getSelector())
                .isEqualTo(d.getSpec().getSelector().getMatchLabels().entrySet().stream()
                        .filter(e -> e.getKey().equals("seldon-app"))
                        .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue())));
        assertThat(spec(generic(objects, "Mapping", "seldon-default-income-p-explainer")))
                .containsEntry("prefix", "/seldon/default/income-explainer/p/")
                .containsEntry("service", "income-p-explainer.default:9000");
    }

    @Test
    void v2ProtocolRunsMlserverAlibi() {
        List<HasMetadata> objects = render(Fixtures.singleModel("income", "  protocol: v2\n", EXPLAINED));
        Container c = container(named(objects, Deployment.class, "income-p-explainer"), "explainer");
        assertThat(c.getImage()).isEqualTo("seldonio/mlserver:1.3.5-alibi-explain");
        assertThat(env(c, "MLSERVER_MODEL_IMPLEMENTATION")).isEqualTo("mlserver_alibi_explain.AlibiExplainRuntime");
        assertThat(env(c, "MLSERVER_MODEL_EXTRA"))
                .contains("\"explainer_type\":\"AnchorTabular\"")
                .contains("http://income-p.default:8000/v2/models/m/infer");
    }

    @Test
    void noExplainerNoObjects() {
        assertThat(render(Fixtures.singleModel("plain", "", "")))
                .noneMatch(o -> o.getMetadata().getName().contains("explainer"));
    }
}
