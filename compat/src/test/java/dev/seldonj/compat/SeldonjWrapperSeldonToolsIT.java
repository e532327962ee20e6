package dev.seldonj.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seldon's own tools against our Python wrapper: {@code seldon-core-tester} with the contracts (REST and
 * {@code --grpc}; predict, batches of tensors, transform-input, send-feedback) and {@code SeldonClient} in
 * microservice mode (REST and gRPC; predict, transform-input, transform-output, route, aggregate,
 * send-feedback), against the seeds' {@code MyModel} and the router, transformer and combiner classes of
 * {@code compat/python}, unchanged. SeldonClient's answers from ours must equal its answers from Seldon's
 * wrapper serving the same class.
 */
class SeldonjWrapperSeldonToolsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Map<String, WrapperTwins> TWINS = new LinkedHashMap<>();
    private static SeldonTools tools;

    @BeforeAll
    static void start() {
        tools = SeldonTools.current();
        try {
            TWINS.put(
                    "model",
                    WrapperTwins.start("MyModel", b -> b.unitId("classifier").image("my-model:0.1")));
            TWINS.put(
                    "router",
                    WrapperTwins.start(
                            "FixedRouter",
                            b -> b.serviceType("ROUTER")
                                    .unitId("router")
                                    .parameters("[{\"name\":\"child\",\"value\":\"1\",\"type\":\"INT\"}]")));
            TWINS.put(
                    "combiner",
                    WrapperTwins.start(
                            "AverageCombiner", b -> b.serviceType("COMBINER").unitId("combiner")));
            TWINS.put(
                    "transformer",
                    WrapperTwins.start(
                            "MeanTransformer", b -> b.serviceType("TRANSFORMER").unitId("mean")));
            TWINS.put(
                    "output",
                    WrapperTwins.start(
                            "ContractOutputTransformer",
                            b -> b.serviceType("TRANSFORMER").unitId("scale")));
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        TWINS.values().forEach(WrapperTwins::close);
        TWINS.clear();
    }

    private static PythonMicroservice ours(String role) {
        return TWINS.get(role).ours;
    }

    private static Processes.Result tester(PythonMicroservice service, boolean grpc, String contract, String... args) {
        CompatEnvironment env = CompatEnvironment.current();
        List<String> command = new ArrayList<>(List.of(
                env.bin("seldon-core-tester").toString(),
                env.contract(contract).toString(),
                "127.0.0.1",
                String.valueOf(grpc ? service.grpcPort() : service.httpPort()),
                "-p"));
        command.addAll(List.of(args));
        if (grpc) {
            command.add("--grpc");
        }
        return Processes.run(command, env.pythonDir(), Map.of(), TIMEOUT).requireSuccess();
    }

    @ParameterizedTest(name = "grpc={0}")
    @ValueSource(booleans = {false, true})
    void testerContractsAgainstOurWrapper(boolean grpc) {
        PythonMicroservice model = ours("model");
        assertThat(tester(model, grpc, "three-features.json", "-n", "3").output())
                .contains("RECEIVED RESPONSE")
                .contains("requestPath")
                .doesNotContain("RECEIVED RESPONSE:\nNone");
        assertThat(tester(model, grpc, "three-features.json", "-b", "4", "-t").output())
                .contains("tensor")
                .doesNotContain("RECEIVED RESPONSE:\nNone");
        assertThat(tester(model, grpc, "three-features.json", "--endpoint", "transform-input", "-n", "2")
                        .output())
                .contains("RECEIVED RESPONSE")
                .doesNotContain("RECEIVED RESPONSE:\nNone");
        assertThat(tester(ours("transformer"), grpc, "three-features.json", "--endpoint", "transform-input")
                        .output())
                .contains("RECEIVED RESPONSE")
                .doesNotContain("RECEIVED RESPONSE:\nNone");
        assertThat(tester(model, grpc, "three-features.json", "--endpoint", "send-feedback", "-n", "2")
                        .output())
                .contains("Success:True")
                .doesNotContain("Success:False");
        assertThat(tester(model, grpc, "iris.json", "-b", "2").output())
                .contains("RECEIVED RESPONSE")
                .doesNotContain("RECEIVED RESPONSE:\nNone");
    }

    /** SeldonClient's call on our wrapper succeeds and answers what the same call on Seldon's answers. */
    private static JsonNode sameClientAnswer(
            String role, String transport, String method, String data, String payloadType) {
        WrapperTwins twins = TWINS.get(role);
        String oursEndpoint = transport.equals("grpc") ? twins.ours.grpcEndpoint() : twins.ours.httpEndpoint();
        String seldonEndpoint = transport.equals("grpc") ? twins.seldon.grpcEndpoint() : twins.seldon.httpEndpoint();
        SeldonTools.ClientResult ours =
                tools.seldonClient("microservice", oursEndpoint, transport, method, data, payloadType);
        SeldonTools.ClientResult seldon =
                tools.seldonClient("microservice", seldonEndpoint, transport, method, data, payloadType);
        assertThat(seldon.success()).as("Seldon's wrapper: %s", seldon.output()).isTrue();
        assertThat(ours.success()).as("ours: %s", ours.output()).isTrue();
        assertThat(ours.response())
                .as("%s %s %s %s: SeldonClient's answer from ours vs Seldon's", role, transport, method, data)
                .isEqualTo(seldon.response());
        return ours.response();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void seldonClientMicroserviceModeAgainstOurWrapper(String transport) throws Exception {
        JsonNode predicted = sameClientAnswer("model", transport, "predict", "[[1.0,2.0,5.0]]", "ndarray");
        assertThat(predicted.at("/data/ndarray")).isEqualTo(JSON.readTree("[[1.0,2.0,5.0]]"));
        assertThat(predicted.at("/meta/requestPath/classifier").asText()).isEqualTo("my-model:0.1");
        sameClientAnswer("model", transport, "predict", "[[1.0,2.0],[3.0,4.5]]", "tensor");
        sameClientAnswer("model", transport, "transform-input", "[[1.0,2.0,5.0]]", "ndarray");
        sameClientAnswer("model", transport, "send-feedback", "[[1.0,2.0,5.0]]", "ndarray");
        assertThat(sameClientAnswer("router", transport, "route", "[[1.0]]", "ndarray")
                        .at("/data/ndarray/0/0")
                        .asInt())
                .isEqualTo(1);
        sameClientAnswer("router", transport, "send-feedback", "[[1.0]]", "ndarray");
        JsonNode mean = sameClientAnswer("combiner", transport, "aggregate", "[[1.0,2.0,5.0]]", "ndarray");
        assertThat(mean.at("/data/ndarray")).isEqualTo(JSON.readTree("[[2.0,4.0,10.0]]"));
        JsonNode scaled = sameClientAnswer("transformer", transport, "transform-input", "[[1.0,2.0,5.0]]", "ndarray");
        assertThat(scaled.at("/data/ndarray")).isEqualTo(JSON.readTree("[[0.0,0.25,1.0]]"));
        JsonNode output = sameClientAnswer("output", transport, "transform-output", "[[0.5]]", "ndarray");
        assertThat(output.at("/data/ndarray")).isEqualTo(JSON.readTree("[[5.0]]"));
    }

    /** Seed 002's joblib scikit-learn model under our wrapper: SeldonClient over gRPC and the iris contract. */
    @Test
    void aJoblibScikitLearnModelUnderOurWrapper(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("iris.joblib");
        tools.python("train_iris.py", model.toString()).requireSuccess();
        assertThat(Files.isRegularFile(model)).isTrue();
        try (PythonMicroservice iris = PythonMicroservice.builder("IrisClassifier")
                .wrapper(WrapperTwins.OURS)
                .unitId("iris")
                .parameters("[{\"name\":\"model_path\",\"value\":\"" + model + "\",\"type\":\"STRING\"}]")
                .start()) {
            SeldonTools.ClientResult grpc = tools.seldonClient(
                    "microservice",
                    iris.grpcEndpoint(),
                    "grpc",
                    "predict",
                    "[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]",
                    "ndarray");
            assertThat(grpc.success()).as(grpc.output()).isTrue();
            assertThat(grpc.response().at("/data/names"))
                    .isEqualTo(JSON.readTree("[\"setosa\",\"versicolor\",\"virginica\"]"));
            assertThat(EngineCompatibilityContract.argmax(grpc.response().at("/data/ndarray/0")))
                    .isZero();
            assertThat(EngineCompatibilityContract.argmax(grpc.response().at("/data/ndarray/1")))
                    .isEqualTo(2);
            assertThat(tester(iris, false, "iris.json", "-n", "3").output()).contains("setosa");
            assertThat(tester(iris, true, "iris.json", "-n", "2").output()).contains("setosa");
        }
    }
}
