package dev.seldonj.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.components.Components;
import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.SeldonServer;
import dev.seldonj.wrapper.WrapperConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seldon's own tools against our Java example components: {@code seldon-core-tester} with a contract,
 * and {@code SeldonClient} in microservice mode and with gateway "seldon", over REST and gRPC.
 */
class SeldonToolsAgainstJavaComponentsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, SeldonServer> SERVERS = new LinkedHashMap<>();
    private static SeldonTools tools;

    @BeforeAll
    static void start() {
        tools = SeldonTools.current();
        start("mock-classifier", ComponentParameters.empty());
        start("mean-transformer", ComponentParameters.empty());
        start("fixed-router", ComponentParameters.of("child", "1", "INT"));
        start("average-combiner", ComponentParameters.empty());
        start("scale-output-transformer", ComponentParameters.empty());
    }

    private static void start(String name, ComponentParameters parameters) {
        SERVERS.put(
                name,
                SeldonServer.start(
                        Components.create(name, parameters),
                        WrapperConfig.ephemeral()
                                .withUnit(name, "seldonj/" + name + ":0.1.0")
                                .withParameters(parameters)));
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(SeldonServer::close);
    }

    private static String endpoint(String component, String transport) {
        SeldonServer s = SERVERS.get(component);
        return "127.0.0.1:" + (transport.equals("rest") ? s.httpPort() : s.grpcPort());
    }

    private static int port(String component, boolean grpc) {
        return grpc ? SERVERS.get(component).grpcPort() : SERVERS.get(component).httpPort();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void testerContractPassesAgainstTheMockClassifier(boolean grpc) {
        Processes.Result r = tools.tester(
                        "three-features.json", "127.0.0.1", port("mock-classifier", grpc), grpc, "predict", 3)
                .requireSuccess();
        assertThat(r.output())
                .contains("RECEIVED RESPONSE")
                .contains("proba")
                .doesNotContain("RECEIVED RESPONSE:\nNone");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void testerContractPassesWithTensorsAndBatches(boolean grpc) {
        Processes.Result r =
                tools.tester("three-features.json", "127.0.0.1", port("mock-classifier", grpc), grpc, "predict", 2);
        r.requireSuccess();
        Processes.Result batch = Processes.run(
                        List.of(
                                CompatEnvironment.current()
                                        .bin("seldon-core-tester")
                                        .toString(),
                                CompatEnvironment.current()
                                        .contract("three-features.json")
                                        .toString(),
                                "127.0.0.1",
                                String.valueOf(port("mock-classifier", grpc)),
                                "-b",
                                "4",
                                "-t",
                                "-p",
                                grpc ? "--grpc" : "--log-level=ERROR"),
                        CompatEnvironment.current().pythonDir(),
                        Map.of(),
                        Duration.ofSeconds(120))
                .requireSuccess();
        assertThat(batch.output()).contains("tensor").doesNotContain("RECEIVED RESPONSE:\nNone");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void testerTransformInputAndFeedback(boolean grpc) {
        assertThat(tools.tester(
                                "three-features.json",
                                "127.0.0.1",
                                port("mean-transformer", grpc),
                                grpc,
                                "transform-input",
                                2)
                        .requireSuccess()
                        .output())
                .contains("RECEIVED RESPONSE")
                .doesNotContain("RECEIVED RESPONSE:\nNone");
        assertThat(tools.tester(
                                "three-features.json",
                                "127.0.0.1",
                                port("mock-classifier", grpc),
                                grpc,
                                "send-feedback",
                                2)
                        .requireSuccess()
                        .output())
                .contains("RECEIVED RESPONSE")
                .doesNotContain("RECEIVED RESPONSE:\nNone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void seldonClientMicroserviceMode(String transport) throws Exception {
        SeldonTools.ClientResult predict = tools.seldonClient(
                "microservice",
                endpoint("mock-classifier", transport),
                transport,
                "predict",
                "[[1.0,2.0,5.0]]",
                "ndarray");
        assertThat(predict.success()).as(predict.output()).isTrue();
        assertThat(predict.response().at("/data"))
                .isEqualTo(JSON.readTree("{\"names\":[\"proba\"],\"ndarray\":[[0.43782349911420193]]}"));
        assertThat(predict.response().at("/meta/requestPath/mock-classifier").asText())
                .isEqualTo("seldonj/mock-classifier:0.1.0");

        SeldonTools.ClientResult tensor = tools.seldonClient(
                "microservice",
                endpoint("mock-classifier", transport),
                transport,
                "predict",
                "[[1.0,2.0,5.0]]",
                "tensor");
        assertThat(tensor.response().at("/data/tensor"))
                .isEqualTo(JSON.readTree("{\"shape\":[1,1],\"values\":[0.43782349911420193]}"));

        assertNdarray("fixed-router", transport, "route", "[[1.0]]", "[[1.0]]");
        assertNdarray("average-combiner", transport, "aggregate", "[[1.0,2.0,5.0]]", "[[2.0,4.0,10.0]]");
        assertNdarray("mean-transformer", transport, "transform-input", "[[1.0,2.0,5.0]]", "[[0.0,0.25,1.0]]");
        assertNdarray("scale-output-transformer", transport, "transform-output", "[[0.5]]", "[[50.0]]");

        SeldonTools.ClientResult feedback = tools.seldonClient(
                "microservice",
                endpoint("mock-classifier", transport),
                transport,
                "send-feedback",
                "[[1.0,2.0,5.0]]",
                "ndarray");
        assertThat(feedback.success()).as(feedback.output()).isTrue();
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + SERVERS.get("mock-classifier").metricsPort() + "/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
                .contains("seldon_api_model_feedback_total{")
                .contains("seldon_api_model_feedback_reward_total{");
    }

    /** SeldonClient's microservice call of {@code method} on {@code component} answers the ndarray {@code expected}. */
    private static void assertNdarray(String component, String transport, String method, String data, String expected)
            throws Exception {
        SeldonTools.ClientResult r =
                tools.seldonClient("microservice", endpoint(component, transport), transport, method, data, "ndarray");
        assertThat(r.success()).as(r.output()).isTrue();
        assertThat(r.response().at("/data/ndarray")).as(r.output()).isEqualTo(JSON.readTree(expected));
    }

    /** The client paths an orchestrator must serve; a component serves them too, as the Python wrapper does. */
    @ParameterizedTest
    @ValueSource(strings = {"rest", "grpc"})
    void seldonClientGatewaySeldon(String transport) throws Exception {
        SeldonTools.ClientResult predict = tools.seldonClient(
                "seldon", endpoint("mock-classifier", transport), transport, "predict", "[[1.0,2.0,5.0]]", "ndarray");
        assertThat(predict.success()).as(predict.output()).isTrue();
        assertThat(predict.response().at("/data/ndarray")).isEqualTo(JSON.readTree("[[0.43782349911420193]]"));
        SeldonTools.ClientResult feedback = tools.seldonClient(
                "seldon",
                endpoint("mock-classifier", transport),
                transport,
                "send-feedback",
                "[[1.0,2.0,5.0]]",
                "ndarray");
        assertThat(feedback.success()).as(feedback.output()).isTrue();
    }

    @Test
    void seldonClientReportsFailuresFromBadInput() {
        SeldonTools.ClientResult r = tools.seldonClient(
                "microservice", endpoint("mock-classifier", "rest"), "rest", "predict", "[1.0,2.0]", "ndarray");
        assertThat(r.success()).isFalse();
        assertThat(r.response().at("/status/reason").asText()).isEqualTo("MICROSERVICE_INTERNAL_ERROR");
        assertThat(r.response().at("/status/info").asText()).isEqualTo("Incorrect shape");
    }
}
