package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.plan.PodPlan;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.ports.ContainerRewriter;
import dev.seldonj.local.ports.LocalPorts;
import dev.seldonj.local.testing.RenderedObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ContainerRewriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String YAML = """
      apiVersion: machinelearning.seldon.io/v1
      kind: SeldonDeployment
      metadata: {name: chain, namespace: ns}
      spec:
        predictors:
        - name: p
          graph: {name: t, type: TRANSFORMER, children: [{name: m, type: MODEL}]}
          componentSpecs:
          - spec: {containers: [{name: t, image: x}]}
          - spec: {containers: [{name: m, image: y}]}
      """;

    private final RunPlan plan = RunPlan.of(RenderedObjects.of(RenderedObjects.read(YAML)));
    private final AtomicInteger next = new AtomicInteger(30000);
    private final LocalPorts ports = LocalPorts.assign(plan, next::incrementAndGet);
    private final ContainerRewriter rewriter = new ContainerRewriter(ports);
    private final PodPlan enginePod = pod("chain-p-0-t");
    private final PodPlan modelPod = pod("chain-p-1-m");

    @Test
    void engineArgsAndEnginePredictorPointAtLocalPortsOfTheRightPods() throws Exception {
        Container engine = enginePod.containers().get(1);
        List<String> args = rewriter.args(enginePod, engine);
        assertThat(args.get(args.indexOf("--http_port") + 1)).isEqualTo(local(enginePod, 8000));
        assertThat(args.get(args.indexOf("--grpc_port") + 1)).isEqualTo(local(enginePod, 5001));
        assertThat(args).contains("--sdep", "chain", "--prometheus_path", "/prometheus");

        Map<String, String> env = rewriter.env(enginePod, engine, w -> {});
        JsonNode graph = JSON.readTree(Base64.getDecoder().decode(env.get("ENGINE_PREDICTOR")))
                .get("graph");
        JsonNode transformer = graph.get("endpoint");
        assertThat(transformer.get("service_host").asText()).isEqualTo("127.0.0.1");
        assertThat(transformer.get("httpPort").asText()).isEqualTo(local(enginePod, 9000));
        assertThat(transformer.get("grpcPort").asText()).isEqualTo(local(enginePod, 9500));
        JsonNode model = graph.at("/children/0/endpoint");
        assertThat(model.get("service_host").asText()).isEqualTo("127.0.0.1");
        assertThat(model.get("service_port").asText()).isEqualTo(local(modelPod, 9001));
        assertThat(model.get("grpcPort").asText()).isEqualTo(local(modelPod, 9501));
        assertThat(graph.at("/children/0/name").asText()).isEqualTo("m");
    }

    @Test
    void portEnvVarsAndFieldRefsAreRewrittenOtherValuesKept() {
        Container model = new ContainerBuilder(modelPod.containers().get(0))
                .addNewEnv()
                .withName("MY_PORT")
                .withValue("1234")
                .endEnv()
                .addNewEnv()
                .withName("POD")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("TOKEN")
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName("s")
                .withKey("k")
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .build();
        List<String> warnings = new ArrayList<>();
        Map<String, String> env = rewriter.env(modelPod, model, warnings::add);
        assertThat(env)
                .containsEntry("PREDICTIVE_UNIT_HTTP_SERVICE_PORT", local(modelPod, 9001))
                .containsEntry("PREDICTIVE_UNIT_GRPC_SERVICE_PORT", local(modelPod, 9501))
                .containsEntry("PREDICTIVE_UNIT_METRICS_SERVICE_PORT", local(modelPod, 6001))
                .containsEntry("MY_PORT", "1234")
                .containsEntry("POD", "chain-p-1-m")
                .doesNotContainKey("TOKEN");
        assertThat(warnings).singleElement().asString().contains("TOKEN").contains("Secret s");
    }

    @Test
    void aLocalhostEndpointOnAPortThePodDoesNotDeclareIsAClearError() {
        String predictor = Base64.getEncoder()
                .encodeToString(
                        "{\"graph\":{\"name\":\"x\",\"endpoint\":{\"service_host\":\"localhost\",\"service_port\":9999}}}"
                                .getBytes());
        Container engine = new ContainerBuilder(enginePod.containers().get(1))
                .withEnv()
                .addNewEnv()
                .withName("ENGINE_PREDICTOR")
                .withValue(predictor)
                .endEnv()
                .build();
        assertThatThrownBy(() -> rewriter.env(enginePod, engine, w -> {}))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("ns/chain-p-0-t: ENGINE_PREDICTOR graph.endpoint is localhost:9999")
                .hasMessageContaining("no container of the pod declares port 9999");
    }

    @Test
    void anEndpointNamingAnUnknownServiceIsAClearError() {
        assertThatThrownBy(() -> ports.resolveService("ns", "missing.ns.svc.cluster.local", 9000))
                .isInstanceOf(RunnerException.class)
                .hasMessage(
                        "no Service ns/missing in the rendered objects for address missing.ns.svc.cluster.local:9000");
    }

    private PodPlan pod(String name) {
        return plan.pods().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private String local(PodPlan pod, int port) {
        return String.valueOf(ports.local(pod, port).orElseThrow());
    }
}
