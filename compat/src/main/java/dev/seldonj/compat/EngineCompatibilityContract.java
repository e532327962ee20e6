package dev.seldonj.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.components.Components;
import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.SeldonServer;
import dev.seldonj.wrapper.WrapperConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an orchestrator must do with Seldon's own Python components and clients. A subclass implements
 * {@link #startEngine} (compat's {@code EngineCompatibilityIT} starts the engine's jar as a process):
 * the tests start Python {@code seldon-core-microservice} components and Java components on this
 * machine, hand the engine a SeldonDeployment whose graph points at them ({@link LocalGraphs}), and
 * call the engine with {@code SeldonClient(gateway="seldon")} over REST and gRPC.
 *
 * <pre>{@code
 * class EngineCompatibilityIT extends EngineCompatibilityContract {
 *   protected RunningEngine startEngine(SeldonDeployment sdep) { ...start the executor on free ports... }
 * }
 * }</pre>
 * The Python components run under Seldon's wrapper by default; override {@link #pythonWrapper()} to run
 * the same classes under this project's ({@code SeldonjWrapperEngineCompatibilityIT} does).
 * A subclass in another module must set the system property {@code seldonj.root} to the checkout and
 * depend on {@code seldonj-compat} (test scope); {@code make venv} must have run (the compat module's
 * build runs it).
 */
public abstract class EngineCompatibilityContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An engine serving one SeldonDeployment's first predictor on its external API. */
    public interface RunningEngine extends AutoCloseable {
        int httpPort();

        int grpcPort();

        @Override
        void close();
    }

    /** Starts the engine on free ports for {@code deployment} (its transport is set in {@code spec.transport}). */
    protected abstract RunningEngine startEngine(SeldonDeployment deployment) throws Exception;

    /**
     * The wrapper that serves the graphs' Python components: Seldon's own ({@link PythonWrapper#SELDON}) unless
     * a subclass chooses this project's ({@link PythonWrapper#SELDONJ}); the Python classes are the same.
     */
    protected PythonWrapper pythonWrapper() {
        return PythonWrapper.SELDON;
    }

    /** A builder for the Python class {@code interfaceName} under {@link #pythonWrapper()}. */
    protected PythonMicroservice.Builder python(String interfaceName) {
        return PythonMicroservice.builder(interfaceName).wrapper(pythonWrapper());
    }

    private static String endpoint(RunningEngine engine, String transport) {
        return "127.0.0.1:" + (transport.equals("grpc") ? engine.grpcPort() : engine.httpPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void drivesAPythonModel(String transport) throws Exception {
        try (PythonMicroservice model = python("MyModel")
                        .unitId("classifier")
                        .image("my-model:0.1")
                        .start();
                RunningEngine engine = startEngine(LocalGraphs.chain(
                        "python-model",
                        transport,
                        List.of(new LocalGraphs.Node(
                                "classifier", "MODEL", "my-model:0.1", model.httpPort(), model.grpcPort()))))) {
            SeldonTools.ClientResult r = SeldonTools.current()
                    .seldonClient(
                            "seldon", endpoint(engine, transport), transport, "predict", "[[1.0,2.0,5.0]]", "ndarray");
            assertThat(r.success()).as(r.output()).isTrue();
            assertThat(r.response().at("/data/ndarray")).isEqualTo(JSON.readTree("[[1.0,2.0,5.0]]"));
            assertThat(r.response().at("/meta/requestPath/classifier").asText()).isEqualTo("my-model:0.1");

            SeldonTools.ClientResult feedback = SeldonTools.current()
                    .seldonClient(
                            "seldon",
                            endpoint(engine, transport),
                            transport,
                            "send-feedback",
                            "[[1.0,2.0,5.0]]",
                            "ndarray");
            assertThat(feedback.success()).as(feedback.output()).isTrue();
        }
    }

    /**
     * Seed 002's kind of model: a scikit-learn classifier dumped with joblib, served by Seldon's wrapper.
     * The engine's answer carries exactly the data the model gives when called directly.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void drivesAJoblibScikitLearnModel(String transport) throws Exception {
        Path model = Files.createTempDirectory("iris").resolve("iris.joblib");
        SeldonTools tools = SeldonTools.current();
        tools.python("train_iris.py", model.toString()).requireSuccess();
        String rows = "[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]";
        try (PythonMicroservice iris = python("IrisClassifier")
                        .unitId("iris")
                        .image("iris:0.1")
                        .parameters("[{\"name\":\"model_path\",\"value\":\"" + model + "\",\"type\":\"STRING\"}]")
                        .start();
                RunningEngine engine = startEngine(LocalGraphs.chain(
                        "sklearn-iris",
                        transport,
                        List.of(new LocalGraphs.Node(
                                "iris", "MODEL", "iris:0.1", iris.httpPort(), iris.grpcPort()))))) {
            SeldonTools.ClientResult r =
                    tools.seldonClient("seldon", endpoint(engine, transport), transport, "predict", rows, "ndarray");
            assertThat(r.success()).as(r.output()).isTrue();
            assertThat(r.response().at("/data/names"))
                    .isEqualTo(JSON.readTree("[\"setosa\",\"versicolor\",\"virginica\"]"));
            assertThat(argmax(r.response().at("/data/ndarray/0"))).isZero();
            assertThat(argmax(r.response().at("/data/ndarray/1"))).isEqualTo(2);
            assertThat(r.response().at("/meta/requestPath/iris").asText()).isEqualTo("iris:0.1");

            SeldonTools.ClientResult direct = tools.seldonClient(
                    "microservice",
                    "127.0.0.1:" + (transport.equals("grpc") ? iris.grpcPort() : iris.httpPort()),
                    transport,
                    "predict",
                    rows,
                    "ndarray");
            assertThat(direct.success()).as(direct.output()).isTrue();
            assertThat(r.response().at("/data")).isEqualTo(direct.response().at("/data"));
        } finally {
            Files.deleteIfExists(model);
            Files.deleteIfExists(model.getParent());
        }
    }

    /**
     * A Python router (Seldon's wrapper) over two Java models: it always picks child 1, the identity
     * model, and the engine says so in {@code meta.routing}; feedback follows that route.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void routesWithAPythonRouterOverJavaModels(String transport) throws Exception {
        try (PythonMicroservice router = python("FixedRouter")
                        .serviceType("ROUTER")
                        .unitId("router")
                        .image("fixed-router:0.1")
                        .parameters("[{\"name\":\"child\",\"value\":\"1\",\"type\":\"INT\"}]")
                        .start();
                SeldonServer classifier = javaComponent("mock-classifier", "classifier");
                SeldonServer identity = javaComponent("identity-model", "identity");
                RunningEngine engine = startEngine(LocalGraphs.graph(
                        "python-router",
                        transport,
                        LocalGraphs.Unit.of(
                                new LocalGraphs.Node(
                                        "router", "ROUTER", "fixed-router:0.1", router.httpPort(), router.grpcPort()),
                                LocalGraphs.Unit.of(new LocalGraphs.Node(
                                        "classifier",
                                        "MODEL",
                                        "seldonj/mock-classifier:0.1.0",
                                        classifier.httpPort(),
                                        classifier.grpcPort())),
                                LocalGraphs.Unit.of(new LocalGraphs.Node(
                                        "identity",
                                        "MODEL",
                                        "seldonj/identity-model:0.1.0",
                                        identity.httpPort(),
                                        identity.grpcPort())))))) {
            SeldonTools.ClientResult r = SeldonTools.current()
                    .seldonClient(
                            "seldon", endpoint(engine, transport), transport, "predict", "[[1.0,2.0,5.0]]", "ndarray");
            assertThat(r.success()).as(r.output()).isTrue();
            assertThat(r.response().at("/data/ndarray")).isEqualTo(JSON.readTree("[[1.0,2.0,5.0]]"));
            assertThat(r.response().at("/meta/routing/router").asInt())
                    .as(r.output())
                    .isEqualTo(1);
            assertThat(r.response().at("/meta/requestPath"))
                    .as(r.output())
                    .isEqualTo(JSON.readTree(
                            "{\"router\":\"fixed-router:0.1\",\"identity\":\"seldonj/identity-model:0.1.0\"}"));

            SeldonTools.ClientResult feedback = SeldonTools.current()
                    .seldonClient(
                            "seldon",
                            endpoint(engine, transport),
                            transport,
                            "send-feedback",
                            "[[1.0,2.0,5.0]]",
                            "ndarray");
            assertThat(feedback.success()).as(feedback.output()).isTrue();
        }
    }

    /**
     * A Python combiner (Seldon's wrapper) over two Java mock classifiers whose thresholds differ by one:
     * the answer is the mean of their probabilities, {@code sigmoid(-0.25)} and {@code sigmoid(-1.25)}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void combinesJavaModelsWithAPythonCombiner(String transport) throws Exception {
        try (PythonMicroservice combiner = python("AverageCombiner")
                        .serviceType("COMBINER")
                        .unitId("combiner")
                        .image("average-combiner:0.1")
                        .start();
                SeldonServer low =
                        javaComponent("mock-classifier", "low", ComponentParameters.of("intValue", "1", "INT"));
                SeldonServer high = javaComponent("mock-classifier", "high", ComponentParameters.empty());
                RunningEngine engine = startEngine(LocalGraphs.graph(
                        "python-combiner",
                        transport,
                        LocalGraphs.Unit.of(
                                new LocalGraphs.Node(
                                        "combiner",
                                        "COMBINER",
                                        "average-combiner:0.1",
                                        combiner.httpPort(),
                                        combiner.grpcPort()),
                                LocalGraphs.Unit.of(new LocalGraphs.Node(
                                        "low",
                                        "MODEL",
                                        "seldonj/mock-classifier:0.1.0",
                                        low.httpPort(),
                                        low.grpcPort())),
                                LocalGraphs.Unit.of(new LocalGraphs.Node(
                                        "high",
                                        "MODEL",
                                        "seldonj/mock-classifier:0.1.0",
                                        high.httpPort(),
                                        high.grpcPort())))))) {
            SeldonTools.ClientResult r = SeldonTools.current()
                    .seldonClient(
                            "seldon", endpoint(engine, transport), transport, "predict", "[[1.0,2.0,5.0]]", "ndarray");
            assertThat(r.success()).as(r.output()).isTrue();
            double expected = (sigmoid(-0.25) + sigmoid(-1.25)) / 2;
            assertThat(r.response().at("/data/ndarray/0/0").asDouble())
                    .as(r.output())
                    .isCloseTo(expected, within(1e-12));
            assertThat(r.response().at("/meta/requestPath"))
                    .as(r.output())
                    .isEqualTo(JSON.readTree(
                            "{\"combiner\":\"average-combiner:0.1\",\"low\":\"seldonj/mock-classifier:0.1.0\","
                                    + "\"high\":\"seldonj/mock-classifier:0.1.0\"}"));
        }
    }

    /** Java output transformer -> Java transformer -> Python model: [[1,2,5]] -> [[0,0.25,1]] -> x100. */
    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void runsAGraphMixingPythonAndJavaComponents(String transport) throws Exception {
        try (PythonMicroservice model =
                        python("MyModel").unitId("model").image("my-model:0.1").start();
                SeldonServer mean = javaComponent("mean-transformer", "mean");
                SeldonServer scale = javaComponent("scale-output-transformer", "scale");
                RunningEngine engine = startEngine(LocalGraphs.chain(
                        "mixed",
                        transport,
                        List.of(
                                new LocalGraphs.Node(
                                        "scale",
                                        "OUTPUT_TRANSFORMER",
                                        "seldonj/scale-output-transformer:0.1.0",
                                        scale.httpPort(),
                                        scale.grpcPort()),
                                new LocalGraphs.Node(
                                        "mean",
                                        "TRANSFORMER",
                                        "seldonj/mean-transformer:0.1.0",
                                        mean.httpPort(),
                                        mean.grpcPort()),
                                new LocalGraphs.Node(
                                        "model", "MODEL", "my-model:0.1", model.httpPort(), model.grpcPort()))))) {
            SeldonTools.ClientResult r = SeldonTools.current()
                    .seldonClient(
                            "seldon", endpoint(engine, transport), transport, "predict", "[[1.0,2.0,5.0]]", "ndarray");
            assertThat(r.success()).as(r.output()).isTrue();
            assertThat(r.response().at("/data/ndarray")).isEqualTo(JSON.readTree("[[0.0,25.0,100.0]]"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void servesTheMockClassifierOfTheSeeds(String transport) throws Exception {
        try (SeldonServer classifier = javaComponent("mock-classifier", "classifier");
                RunningEngine engine = startEngine(LocalGraphs.chain(
                        "seldon-model",
                        transport,
                        List.of(new LocalGraphs.Node(
                                "classifier",
                                "MODEL",
                                "seldonio/mock_classifier:1.0",
                                classifier.httpPort(),
                                classifier.grpcPort()))))) {
            SeldonTools.ClientResult r = SeldonTools.current()
                    .seldonClient(
                            "seldon", endpoint(engine, transport), transport, "predict", "[[1.0,2.0,5.0]]", "ndarray");
            assertThat(r.success()).as(r.output()).isTrue();
            assertThat(r.response().at("/data/ndarray")).isEqualTo(JSON.readTree("[[0.43782349911420193]]"));
        }
    }

    /** The index of a row's largest value: the class a classifier's probabilities predict. */
    static int argmax(JsonNode row) {
        int best = 0;
        for (int i = 1; i < row.size(); i++) {
            if (row.get(i).asDouble() > row.get(best).asDouble()) {
                best = i;
            }
        }
        return best;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static SeldonServer javaComponent(String component, String unit) {
        return javaComponent(component, unit, ComponentParameters.empty());
    }

    private static SeldonServer javaComponent(String component, String unit, ComponentParameters parameters) {
        return SeldonServer.start(
                Components.create(component, parameters),
                WrapperConfig.ephemeral()
                        .withUnit(unit, "seldonj/" + component + ":0.1.0")
                        .withParameters(parameters));
    }
}
