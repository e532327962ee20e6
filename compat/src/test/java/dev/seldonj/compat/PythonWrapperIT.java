package dev.seldonj.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.components.IdentityModel;
import dev.seldonj.wrapper.SeldonServer;
import dev.seldonj.wrapper.WrapperConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seldon's own Python wrapper ({@code seldon-core-microservice}, pinned) serving the seeds' models, driven
 * over REST and gRPC, and compared answer for answer with our Java wrapper serving the same model.
 */
class PythonWrapperIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIT = "classifier";
    private static final String IMAGE = "seldonj/identity-model:0.1.0";

    private static PythonMicroservice python;
    private static SeldonServer java;

    @BeforeAll
    static void start() {
        python = PythonMicroservice.builder("MyModel").unitId(UNIT).image(IMAGE).start();
        java = SeldonServer.start(new IdentityModel(), WrapperConfig.ephemeral().withUnit(UNIT, IMAGE));
    }

    @AfterAll
    static void stop() {
        if (python != null) {
            python.close();
        }
        if (java != null) {
            java.close();
        }
    }

    @Test
    void pythonModelAnswersOverRestAsSeed003Shows() {
        SeldonMessage answer = Calls.message(
                python.httpEndpoint(),
                "/predict",
                "{\"meta\":{\"puid\":\"p-1\"},\"data\":{\"names\":[\"a\",\"b\"],\"tensor\":{\"shape\":[2,2],\"values\":[0,0,1,1]}}}");
        assertThat(SeldonJson.print(answer))
                .isEqualTo(
                        "{\"meta\":{\"puid\":\"p-1\",\"requestPath\":{\"classifier\":\"" + IMAGE
                                + "\"}},\"data\":{\"names\":[\"t:0\",\"t:1\"],\"tensor\":{\"shape\":[2,2],\"values\":[0.0,0.0,1.0,1.0]}}}");
    }

    @Test
    void javaWrapperAnswersExactlyAsThePythonWrapperOverRest() {
        for (String request : new String[] {
            "{\"data\":{\"names\":[\"a\",\"b\"],\"tensor\":{\"shape\":[2,2],\"values\":[0,0,1,1]}}}",
            "{\"meta\":{\"puid\":\"x\",\"tags\":{\"t\":\"v\"}},\"data\":{\"ndarray\":[[1,2,5],[3,4,6]]}}",
            "{\"data\":{\"ndarray\":[1,2]}}",
            "{\"strData\":\"hello\"}",
            "{\"jsonData\":{\"a\":[1,2]}}",
            "{\"binData\":\"AAEC\"}"
        }) {
            for (String path : new String[] {"/predict", "/api/v1.0/predictions", "/transform-input"}) {
                assertThat(Calls.message("127.0.0.1:" + java.httpPort(), path, request))
                        .as("%s %s", path, request)
                        .isEqualTo(Calls.message(python.httpEndpoint(), path, request));
            }
        }
    }

    @Test
    void javaWrapperAnswersExactlyAsThePythonWrapperOverGrpc() throws InterruptedException {
        ManagedChannel py = ManagedChannelBuilder.forTarget(python.grpcEndpoint())
                .usePlaintext()
                .build();
        ManagedChannel jv = ManagedChannelBuilder.forAddress("127.0.0.1", java.grpcPort())
                .usePlaintext()
                .build();
        try {
            for (String request : new String[] {
                "{\"meta\":{\"puid\":\"g\"},\"data\":{\"names\":[\"a\"],\"tensor\":{\"shape\":[1,3],\"values\":[1,2,3]}}}",
                "{\"data\":{\"ndarray\":[[1.5,2.5]]}}",
                "{\"strData\":\"hi\"}"
            }) {
                SeldonMessage m = SeldonJson.parseMessage(request);
                assertThat(ModelGrpc.newBlockingStub(jv).predict(m))
                        .as(request)
                        .isEqualTo(ModelGrpc.newBlockingStub(py).predict(m));
            }
        } finally {
            py.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            jv.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void healthAndMetadataAnswerAsThePythonWrapper() throws Exception {
        String javaEndpoint = "127.0.0.1:" + java.httpPort();
        for (String path :
                new String[] {"/health/status", "/api/v1.0/health/status", "/metadata", "/api/v1.0/metadata"}) {
            assertThat(JSON.readTree(Calls.get(javaEndpoint, path).body()))
                    .as(path)
                    .isEqualTo(
                            JSON.readTree(Calls.get(python.httpEndpoint(), path).body()));
        }
        assertThat(Calls.get(javaEndpoint, "/health/ping").body())
                .isEqualTo(Calls.get(python.httpEndpoint(), "/health/ping").body());
    }

    @Test
    void badRequestsGetTheSameErrorShape() throws Exception {
        String javaEndpoint = "127.0.0.1:" + java.httpPort();
        HttpResponse<String> fromPython = Calls.post(python.httpEndpoint(), "/predict", "{\"data\":");
        HttpResponse<String> fromJava = Calls.post(javaEndpoint, "/predict", "{\"data\":");
        assertThat(fromJava.statusCode()).isEqualTo(fromPython.statusCode()).isEqualTo(400);
        JsonNode p = JSON.readTree(fromPython.body());
        JsonNode j = JSON.readTree(fromJava.body());
        assertThat(j.get("status").fieldNames())
                .toIterable()
                .containsExactlyElementsOf(() -> p.get("status").fieldNames());
        for (String field : new String[] {"code", "reason", "status"}) {
            assertThat(j.at("/status/" + field)).as(field).isEqualTo(p.at("/status/" + field));
        }
    }

    @Test
    void seldonClientTalksToThePythonMicroservice() {
        SeldonTools tools = SeldonTools.current();
        for (String transport : new String[] {"rest", "grpc"}) {
            String endpoint = transport.equals("rest") ? python.httpEndpoint() : python.grpcEndpoint();
            SeldonTools.ClientResult r =
                    tools.seldonClient("microservice", endpoint, transport, "predict", "[[1,2,5]]", "ndarray");
            assertThat(r.success()).as(r.output()).isTrue();
            assertThat(r.response().at("/data/ndarray")).isEqualTo(r.request().at("/data/ndarray"));
        }
    }

    @Test
    void aJoblibScikitLearnModelAsInSeed002(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("iris.joblib");
        SeldonTools tools = SeldonTools.current();
        tools.python("train_iris.py", model.toString()).requireSuccess();
        try (PythonMicroservice iris = PythonMicroservice.builder("IrisClassifier")
                .unitId("iris")
                .parameters("[{\"name\":\"model_path\",\"value\":\"" + model + "\",\"type\":\"STRING\"}]")
                .start()) {
            SeldonMessage answer = Calls.message(
                    iris.httpEndpoint(),
                    "/api/v1.0/predictions",
                    "{\"data\":{\"ndarray\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}}");
            assertThat(answer.getData().getNamesList()).containsExactly("setosa", "versicolor", "virginica");
            JsonNode rows = JSON.readTree(SeldonJson.print(answer)).at("/data/ndarray");
            assertThat(EngineCompatibilityContract.argmax(rows.get(0))).isZero();
            assertThat(EngineCompatibilityContract.argmax(rows.get(1))).isEqualTo(2);

            SeldonTools.ClientResult grpc = tools.seldonClient(
                    "microservice", iris.grpcEndpoint(), "grpc", "predict", "[[5.1,3.5,1.4,0.2]]", "tensor");
            assertThat(grpc.success()).as(grpc.output()).isTrue();
            assertThat(grpc.response().at("/data/tensor/shape")).isEqualTo(JSON.readTree("[1,3]"));

            Processes.Result tester = tools.tester("iris.json", "127.0.0.1", iris.httpPort(), false, "predict", 3);
            tester.requireSuccess();
            assertThat(tester.output()).contains("setosa");
        }
    }
}
