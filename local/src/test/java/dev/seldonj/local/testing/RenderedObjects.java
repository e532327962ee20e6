package dev.seldonj.local.testing;

import dev.seldonj.api.defaults.Defaulter;
import dev.seldonj.api.defaults.DefaultingConfig;
import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.model.SeldonPodSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects the controller renders for a SeldonDeployment, built here in the same shape (the
 * contract in the brief: Deployments with the engine and model containers, predictor and container
 * Services, Emissary Mappings), from the api's defaulting, so runner tests need no controller.
 */
public final class RenderedObjects {

    public static final String ENGINE_IMAGE = "seldonj/engine:0.1.0";

    private RenderedObjects() {}

    /** Seed 004's SeldonDeployment, the file {@code make run} runs: {@code examples/seldon-model.yaml}. */
    public static SeldonDeployment seed004() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path example = dir.resolve("examples/seldon-model.yaml");
            if (Files.isRegularFile(example)) {
                try {
                    return read(Files.readString(example));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(
                "examples/seldon-model.yaml not found above " + Path.of("").toAbsolutePath());
    }

    public static SeldonDeployment read(String yaml) {
        return Manifests.bind(Manifests.documents(yaml, "test").get(0));
    }

    public static List<HasMetadata> of(SeldonDeployment input) {
        SeldonDeployment sdep = new Defaulter(DefaultingConfig.defaults()).apply(input);
        String name = sdep.getMetadata().getName();
        String ns = sdep.getMetadata().getNamespace();
        List<HasMetadata> objects = new ArrayList<>();
        List<PredictorSpec> predictors = sdep.getSpec().getPredictors();
        for (int i = 0; i < predictors.size(); i++) {
            PredictorSpec p = predictors.get(i);
            String predictorService = name + "-" + p.getName();
            for (int j = 0; j < p.getComponentSpecs().size(); j++) {
                SeldonPodSpec pod = p.getComponentSpecs().get(j);
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("seldon-deployment-id", name);
                List<Container> containers = new ArrayList<>();
                StringBuilder deploymentName = new StringBuilder(name + "-" + p.getName() + "-" + j);
                for (Container c : pod.getSpec().getContainers()) {
                    deploymentName.append('-').append(c.getName());
                    if (Graph.find(p.getGraph(), c.getName()).isPresent()) {
                        labels.put(
                                "seldon-app-svc-" + c.getName(),
                                Defaulter.containerServiceName(name, p.getName(), c.getName()));
                        containers.add(model(p, c, name));
                        objects.add(containerService(ns, name, p, c));
                    } else {
                        containers.add(c);
                    }
                }
                if (j == 0) {
                    labels.put("seldon-app", predictorService);
                    containers.add(engine(name, ns, p));
                }
                objects.add(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(deploymentName.toString())
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .withNewSelector()
                        .withMatchLabels(labels)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withContainers(containers)
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build());
            }
            objects.add(new ServiceBuilder()
                    .withNewMetadata()
                    .withName(predictorService)
                    .withNamespace(ns)
                    .endMetadata()
                    .withNewSpec()
                    .withSelector(Map.of("seldon-app", predictorService))
                    .addNewPort()
                    .withName("http")
                    .withPort(8000)
                    .withTargetPort(new IntOrString(8000))
                    .endPort()
                    .addNewPort()
                    .withName("grpc")
                    .withPort(5001)
                    .withTargetPort(new IntOrString(5001))
                    .endPort()
                    .endSpec()
                    .build());
            Integer weight = i == 0 ? null : p.getTraffic();
            boolean shadow = Boolean.TRUE.equals(p.getShadow());
            objects.add(mapping(
                    ns,
                    "seldon-" + ns + "-" + name + "-" + p.getName() + "-rest",
                    Map.of(
                            "prefix",
                            "/seldon/" + ns + "/" + name + "/",
                            "rewrite",
                            "/",
                            "service",
                            predictorService + "." + ns + ":8000"),
                    weight,
                    shadow));
            Map<String, Object> grpc = new LinkedHashMap<>();
            grpc.put("prefix", "/(seldon.protos.*|tensorflow.serving.*|inference.*)/.*");
            grpc.put("prefix_regex", true);
            grpc.put("rewrite", "");
            grpc.put("grpc", true);
            grpc.put("headers", Map.of("seldon", name, "namespace", ns));
            grpc.put("service", predictorService + "." + ns + ":5001");
            objects.add(mapping(ns, "seldon-" + ns + "-" + name + "-" + p.getName() + "-grpc", grpc, weight, shadow));
        }
        return objects;
    }

    private static Container model(PredictorSpec p, Container c, String sdep) {
        int http = port(c, "http");
        int grpc = port(c, "grpc");
        int metrics = port(c, "metrics");
        return new ContainerBuilder(c)
                .addNewEnv()
                .withName("PREDICTIVE_UNIT_SERVICE_PORT")
                .withValue(String.valueOf(http))
                .endEnv()
                .addNewEnv()
                .withName("PREDICTIVE_UNIT_HTTP_SERVICE_PORT")
                .withValue(String.valueOf(http))
                .endEnv()
                .addNewEnv()
                .withName("PREDICTIVE_UNIT_GRPC_SERVICE_PORT")
                .withValue(String.valueOf(grpc))
                .endEnv()
                .addNewEnv()
                .withName("PREDICTIVE_UNIT_METRICS_SERVICE_PORT")
                .withValue(String.valueOf(metrics))
                .endEnv()
                .addNewEnv()
                .withName("PREDICTIVE_UNIT_ID")
                .withValue(c.getName())
                .endEnv()
                .addNewEnv()
                .withName("PREDICTIVE_UNIT_IMAGE")
                .withValue(c.getImage())
                .endEnv()
                .addNewEnv()
                .withName("PREDICTIVE_UNIT_PARAMETERS")
                .withValue("[]")
                .endEnv()
                .addNewEnv()
                .withName("PREDICTOR_ID")
                .withValue(p.getName())
                .endEnv()
                .addNewEnv()
                .withName("SELDON_DEPLOYMENT_ID")
                .withValue(sdep)
                .endEnv()
                .withNewReadinessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString("http"))
                .endTcpSocket()
                .endReadinessProbe()
                .build();
    }

    private static Container engine(String sdep, String ns, PredictorSpec p) {
        PredictorSpec copy = Manifests.mapper().convertValue(Manifests.toTree(p), PredictorSpec.class);
        copy.setTraffic(null);
        copy.setReplicas(null);
        String predictor = Base64.getEncoder()
                .encodeToString(Manifests.toTree(copy).toString().getBytes(StandardCharsets.UTF_8));
        return new ContainerBuilder()
                .withName("seldon-container-engine")
                .withImage(ENGINE_IMAGE)
                .withArgs(
                        "--sdep",
                        sdep,
                        "--namespace",
                        ns,
                        "--predictor",
                        p.getName(),
                        "--http_port",
                        "8000",
                        "--grpc_port",
                        "5001",
                        "--protocol",
                        "seldon",
                        "--transport",
                        "rest",
                        "--prometheus_path",
                        "/prometheus",
                        "--server_type",
                        "rpc")
                .addNewEnv()
                .withName("ENGINE_PREDICTOR")
                .withValue(predictor)
                .endEnv()
                .addNewPort()
                .withName("http")
                .withContainerPort(8000)
                .endPort()
                .addNewPort()
                .withName("metrics")
                .withContainerPort(8000)
                .endPort()
                .addNewPort()
                .withName("grpc")
                .withContainerPort(5001)
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/ready")
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .endReadinessProbe()
                .build();
    }

    private static HasMetadata containerService(String ns, String sdep, PredictorSpec p, Container c) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(Defaulter.containerServiceName(sdep, p.getName(), c.getName()))
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of(
                        "seldon-app-svc-" + c.getName(),
                        Defaulter.containerServiceName(sdep, p.getName(), c.getName())))
                .addNewPort()
                .withName("http")
                .withPort(port(c, "http"))
                .withTargetPort(new IntOrString(port(c, "http")))
                .endPort()
                .addNewPort()
                .withName("grpc")
                .withPort(port(c, "grpc"))
                .withTargetPort(new IntOrString(port(c, "grpc")))
                .endPort()
                .endSpec()
                .build();
    }

    private static GenericKubernetesResource mapping(
            String ns, String name, Map<String, Object> spec, Integer weight, boolean shadow) {
        Map<String, Object> full = new LinkedHashMap<>(spec);
        if (weight != null) {
            full.put("weight", weight);
        }
        if (shadow) {
            full.put("shadow", true);
        }
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("getambassador.io/v3alpha1")
                .withKind("Mapping")
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", full))
                .build();
    }

    private static int port(Container c, String name) {
        return c.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow();
    }
}
