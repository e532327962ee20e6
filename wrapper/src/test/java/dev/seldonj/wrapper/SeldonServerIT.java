package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Empty;
import dev.seldonj.api.protocol.SeldonJson;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.seldon.protos.GenericGrpc;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.SeldonGrpc;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wrapper on real sockets: every request form, error shape, gRPC service and the metrics port. */
class SeldonServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SeldonServer server;
    private static ManagedChannel channel;

    /** Doubles numbers; "boom" in strData is a model crash; reports a counter per call. */
    static final class Doubler implements SeldonComponent {
        @Override
        public SeldonMessage predict(SeldonMessage request) {
            if (request.getStrData().equals("boom")) {
                throw new IllegalStateException("the model crashed");
            }
            double[][] rows = Payloads.matrix(request);
            for (double[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    row[i] *= 2;
                }
            }
            return Payloads.respondLike(request, rows, null);
        }

        @Override
        public SeldonMessage route(SeldonMessage request) {
            return Payloads.route(request, 1);
        }

        @Override
        public SeldonMessage aggregate(SeldonMessageList request) {
            return request.getSeldonMessages(request.getSeldonMessagesCount() - 1);
        }

        @Override
        public List<Metric> metrics() {
            return List.of(Metric.newBuilder()
                    .setKey("doubler_calls")
                    .setType(Metric.MetricType.COUNTER)
                    .setValue(1)
                    .build());
        }
    }

    @BeforeAll
    static void start() {
        server = SeldonServer.start(
                new Doubler(), WrapperConfig.ephemeral().withUnit("doubler", "seldonj/doubler:0.1.0"));
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void predictsFromAJsonBody() throws Exception {
        HttpResponse<String> r = post(
                "/predict",
                "application/json",
                "{\"meta\":{\"puid\":\"abc\"},\"data\":{\"names\":[\"a\",\"b\"],\"tensor\":{\"shape\":[2,2],\"values\":[0,0,1,1]}}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()))
                .isEqualTo(
                        JSON.readTree(
                                "{\"meta\":{\"puid\":\"abc\",\"requestPath\":{\"doubler\":\"seldonj/doubler:0.1.0\"}},"
                                        + "\"data\":{\"names\":[\"t:0\",\"t:1\"],\"tensor\":{\"shape\":[2,2],\"values\":[0.0,0.0,2.0,2.0]}}}"));
    }

    @Test
    void aTftensorAnswerCarriesNamesAsThePythonWrappers() throws Exception {
        HttpResponse<String> r = post(
                "/predict",
                "application/json",
                "{\"data\":{\"tftensor\":{\"dtype\":\"DT_DOUBLE\","
                        + "\"tensorShape\":{\"dim\":[{\"size\":\"1\"},{\"size\":\"2\"}]},\"doubleVal\":[1,2]}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode data = JSON.readTree(r.body()).get("data");
        assertThat(data.get("names")).isEqualTo(JSON.readTree("[\"t:0\",\"t:1\"]"));
        assertThat(data.at("/tftensor/dtype").asText()).isEqualTo("DT_DOUBLE");
        assertThat(data.at("/tftensor/tensorShape/dim/1/size").asText()).isEqualTo("2");
        assertThat(Payloads.matrix(SeldonJson.parseMessage(r.body()))).isDeepEqualTo(new double[][] {{2, 4}});
    }

    @Test
    void acceptsTheFormAndQueryParameterJson() throws Exception {
        String json = "{\"data\":{\"ndarray\":[[1,2]]}}";
        String form = "json=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
        HttpResponse<String> viaForm = post("/api/v1.0/predictions", "application/x-www-form-urlencoded", form);
        assertThat(viaForm.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(viaForm.body()).at("/data/ndarray")).isEqualTo(JSON.readTree("[[2.0,4.0]]"));
        HttpResponse<String> viaQuery = get("/predict?" + form);
        assertThat(JSON.readTree(viaQuery.body()).at("/data/ndarray")).isEqualTo(JSON.readTree("[[2.0,4.0]]"));
    }

    @Test
    void acceptsMultipartFormData() throws Exception {
        String boundary = "XyZ";
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{\"ndarray\":[[3]]}\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n{\"puid\":\"m1\"}\r\n--XyZ--\r\n";
        HttpResponse<String> r = post("/predict", "multipart/form-data; boundary=" + boundary, body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.at("/data/ndarray")).isEqualTo(JSON.readTree("[[6.0]]"));
        assertThat(answer.at("/meta/puid").asText()).isEqualTo("m1");
    }

    @Test
    void badDataIsA400InThePythonWrappersShape() throws Exception {
        HttpResponse<String> r = post("/predict", "application/json", "{\"data\":{\"ndarray\":[[1,\"x\"]]}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .isEqualTo("{\"status\":{\"code\":-1,\"info\":\"data.ndarray[0][1]: expected a number, got \\\"x\\\"\","
                        + "\"reason\":\"MICROSERVICE_BAD_DATA\",\"status\":1}}");
        HttpResponse<String> malformed = post("/predict", "application/json", "{\"data\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).at("/status/info").asText()).startsWith("line 1, column");
        HttpResponse<String> unknown = post("/predict", "application/json", "{\"dta\":{}}");
        assertThat(JSON.readTree(unknown.body()).at("/status/info").asText()).startsWith("dta: unknown field");
    }

    @Test
    void aModelCrashIsA500AndTheServerStaysUp() throws Exception {
        HttpResponse<String> r = post("/predict", "application/json", "{\"strData\":\"boom\"}");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body())
                .isEqualTo(
                        "{\"status\":{\"code\":-1,\"info\":\"the model crashed\",\"reason\":\"MICROSERVICE_INTERNAL_ERROR\",\"status\":1}}");
        assertThat(get("/health/ping").body()).isEqualTo("pong");
    }

    @Test
    void routesAggregatesAndAcceptsFeedback() throws Exception {
        assertThat(JSON.readTree(post("/route", "application/json", "{\"data\":{\"ndarray\":[[1]]}}")
                                .body())
                        .at("/data/ndarray"))
                .isEqualTo(JSON.readTree("[[1.0]]"));
        HttpResponse<String> agg = post(
                "/aggregate", "application/json", "[{\"data\":{\"ndarray\":[[1]]}},{\"data\":{\"ndarray\":[[2]]}}]");
        assertThat(JSON.readTree(agg.body()).at("/data/ndarray")).isEqualTo(JSON.readTree("[[2.0]]"));
        HttpResponse<String> list = post(
                "/aggregate",
                "application/json",
                "{\"seldonMessages\":[{\"data\":{\"ndarray\":[[1]]}},{\"data\":{\"ndarray\":[[3]]}}]}");
        assertThat(JSON.readTree(list.body()).at("/data/ndarray")).isEqualTo(JSON.readTree("[[3.0]]"));
        HttpResponse<String> feedback = post(
                "/send-feedback", "application/json", "{\"request\":{\"data\":{\"ndarray\":[[1]]}},\"reward\":1.0}");
        assertThat(feedback.statusCode()).isEqualTo(200);
        assertThat(post("/transform-input", "application/json", "{\"strData\":\"x\"}")
                        .body())
                .contains("\"strData\":\"x\"");
    }

    @Test
    void healthMetadataAndUnknownPaths() throws Exception {
        assertThat(JSON.readTree(get("/health/status").body()).get("strData").asText())
                .isEqualTo("healthy");
        assertThat(JSON.readTree(get("/metadata").body()))
                .isEqualTo(
                        JSON.readTree(
                                "{\"name\":\"seldonj/doubler\",\"versions\":[\"0.1.0\"],\"platform\":\"\",\"inputs\":[],\"outputs\":[],\"custom\":{}}"));
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/predict"))
                                        .DELETE()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(405);
    }

    @Test
    void servesTheGrpcServices() {
        SeldonMessage request = SeldonJson.parseMessage(
                "{\"meta\":{\"puid\":\"g\"},\"data\":{\"tensor\":{\"shape\":[1,2],\"values\":[1,2]}}}");
        SeldonMessage answer = ModelGrpc.newBlockingStub(channel).predict(request);
        assertThat(answer.getData().getTensor().getValuesList()).containsExactly(2.0, 4.0);
        assertThat(answer.getMeta().getPuid()).isEqualTo("g");
        SeldonMessage routed = GenericGrpc.newBlockingStub(channel).route(request);
        assertThat(routed.getData().getTensor().getValuesList()).containsExactly(1.0);
        assertThatThrownBy(() ->
                        ModelGrpc.newBlockingStub(channel).predict(SeldonJson.parseMessage("{\"strData\":\"x\"}")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .startsWith("MICROSERVICE_BAD_DATA: expected numeric data");
                });
        assertThat(ModelGrpc.newBlockingStub(channel)
                        .metadata(Empty.getDefaultInstance())
                        .getName())
                .isEqualTo("seldonj/doubler");
        assertThat(SeldonGrpc.newBlockingStub(channel).predict(request)).isEqualTo(answer);
        assertThatThrownBy(() -> SeldonGrpc.newBlockingStub(channel).graphMetadata(Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        assertThatThrownBy(() ->
                        ModelGrpc.newBlockingStub(channel).predict(SeldonJson.parseMessage("{\"strData\":\"boom\"}")))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
    }

    @Test
    void exposesCustomMetricsOnTheMetricsPort() throws Exception {
        post("/predict", "application/json", "{\"data\":{\"ndarray\":[[1]]}}");
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/prometheus"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .containsPattern("doubler_calls_total\\{[^}]*method=\"predict\"[^}]*model_image=\"seldonj/doubler\"");
    }
}
