package dev.seldonj.desired;

import dev.seldonj.api.graph.Implementations;
import dev.seldonj.api.model.Parameter;
import dev.seldonj.api.model.ParameterType;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.Protocol;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wires a prepackaged server's container (seldon-v1.md section 2.8): its image from
 * {@code predictor-servers}, MLServer settings for the v2 protocol, TensorFlow Serving (directly, or
 * behind Seldon's tfserving-proxy), Triton's command line, and {@code model_uri} for Seldon's Python
 * servers.
 */
final class PrepackagedServer {

    static final String TFSERVING_SIDECAR = "tfserving";
    static final int TFSERVING_GRPC_PORT = 2000;
    static final int TFSERVING_REST_PORT = 2001;

    /** MLServer runtimes for Seldon's implementations. */
    static final Map<String, String> MLSERVER_RUNTIMES = Map.of(
            Implementations.SKLEARN_SERVER, "mlserver_sklearn.SKLearnModel",
            Implementations.XGBOOST_SERVER, "mlserver_xgboost.XGBoostModel",
            Implementations.MLFLOW_SERVER, "mlserver_mlflow.MLflowRuntime",
            Implementations.HUGGINGFACE_SERVER, "mlserver_huggingface.HuggingFaceRuntime",
            Implementations.TEMPO_SERVER, "tempo.mlserver.InferenceRuntime");

    /**
     * @param parameters parameters to add to the unit's {@code PREDICTIVE_UNIT_PARAMETERS}
     * @param modelContainer the container that reads the model from /mnt/models
     */
    record Wiring(List<Parameter> parameters, Container modelContainer) {}

    private PrepackagedServer() {}

    static Wiring apply(PredictorContext ctx, PodSpec pod, Container c, PredictiveUnit unit) {
        String implementation = unit.getImplementation();
        Protocol protocol = ctx.protocol();
        if (c.getImage() == null || c.getImage().isEmpty()) {
            ctx.config().predictorServers().image(implementation, protocol).ifPresent(c::setImage);
        }
        String modelPath = modelPath(ctx, unit);
        if (Implementations.TENSORFLOW_SERVER.equals(implementation)) {
            return tensorflow(ctx, pod, c, unit, modelPath);
        }
        if (Implementations.TRITON_SERVER.equals(implementation)) {
            c.setCommand(List.of("/opt/tritonserver/bin/tritonserver"));
            c.setArgs(List.of(
                    "--grpc-port=" + ModelContainer.port(c, "grpc"),
                    "--http-port=" + ModelContainer.port(c, "http"),
                    "--model-repository=" + modelPath,
                    "--strict-model-config=false"));
            v2Probes(c);
            return new Wiring(List.of(), c);
        }
        if (protocol == Protocol.V2 || protocol == Protocol.KFSERVING) {
            List<EnvVar> env = new ArrayList<>(c.getEnv());
            ModelContainer.addIfAbsent(env, "MLSERVER_MODEL_URI", modelPath);
            String runtime = MLSERVER_RUNTIMES.get(implementation);
            if (runtime != null) {
                ModelContainer.addIfAbsent(env, "MLSERVER_MODEL_IMPLEMENTATION", runtime);
            }
            c.setEnv(env);
            v2Probes(c);
            return new Wiring(List.of(), c);
        }
        return new Wiring(List.of(parameter("model_uri", modelPath)), c);
    }

    private static Wiring tensorflow(
            PredictorContext ctx, PodSpec pod, Container c, PredictiveUnit unit, String modelPath) {
        if (ctx.protocol() == Protocol.TENSORFLOW) {
            c.setCommand(List.of("/usr/bin/tensorflow_model_server"));
            c.setArgs(List.of(
                    "--port=" + ModelContainer.port(c, "grpc"),
                    "--rest_api_port=" + ModelContainer.port(c, "http"),
                    "--model_name=" + unit.getName(),
                    "--model_base_path=" + modelPath));
            return new Wiring(List.of(), c);
        }
        // Seldon protocol: Seldon's proxy translates to a TensorFlow Serving sidecar on ports 2000/2001.
        String tfImage = ctx.config()
                .predictorServers()
                .image(unit.getImplementation(), Protocol.TENSORFLOW)
                .orElse("tensorflow/serving:latest");
        Container sidecar = new ContainerBuilder()
                .withName(TFSERVING_SIDECAR)
                .withImage(tfImage)
                .withArgs(
                        "/usr/bin/tensorflow_model_server",
                        "--port=" + TFSERVING_GRPC_PORT,
                        "--rest_api_port=" + TFSERVING_REST_PORT,
                        "--model_name=" + unit.getName(),
                        "--model_base_path=" + modelPath)
                .addNewPort()
                .withName("tfserving-grpc")
                .withContainerPort(TFSERVING_GRPC_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("tfserving-http")
                .withContainerPort(TFSERVING_REST_PORT)
                .withProtocol("TCP")
                .endPort()
                .withNewReadinessProbe()
                .withNewTcpSocket()
                .withNewPort(TFSERVING_GRPC_PORT)
                .endTcpSocket()
                .withInitialDelaySeconds(0)
                .withPeriodSeconds(5)
                .withTimeoutSeconds(1)
                .withFailureThreshold(3)
                .withSuccessThreshold(1)
                .endReadinessProbe()
                .build();
        PodDefaults.container(sidecar);
        if (pod.getContainers().stream().noneMatch(x -> TFSERVING_SIDECAR.equals(x.getName()))) {
            List<Container> containers = new ArrayList<>(pod.getContainers());
            containers.add(sidecar);
            pod.setContainers(containers);
        }
        return new Wiring(
                List.of(
                        parameter("grpc_endpoint", "localhost:" + TFSERVING_GRPC_PORT),
                        parameter("rest_endpoint", "http://localhost:" + TFSERVING_REST_PORT),
                        parameter("model_name", unit.getName())),
                sidecar);
    }

    /** Where the server finds its model: /mnt/models, or the URI itself when the initializer is switched off. */
    private static String modelPath(PredictorContext ctx, PredictiveUnit unit) {
        if (StorageInitializer.disabled(ctx) && unit.getModelUri() != null) {
            return unit.getModelUri();
        }
        return ModelContainer.MODEL_DIR;
    }

    private static Parameter parameter(String name, String value) {
        Parameter p = new Parameter();
        p.setName(name);
        p.setValue(value);
        p.setType(ParameterType.STRING);
        return p;
    }

    private static void v2Probes(Container c) {
        if (c.getReadinessProbe() == null) {
            c.setReadinessProbe(ModelContainer.httpProbe("/v2/health/ready", "http"));
        }
        if (c.getLivenessProbe() == null) {
            c.setLivenessProbe(ModelContainer.httpProbe("/v2/health/live", "http"));
        }
    }
}
