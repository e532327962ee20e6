package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.engine.it.RestComponent.Answer;
import io.seldon.protos.PredictionProtos.SeldonModelMetadata;
import io.seldon.protos.PredictionProtos.SeldonModelMetadataRequest;
import io.seldon.protos.SeldonGrpc;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Seldon's per-model status and metadata routes, forwarded to the node named in the path. */
class StatusMetadataIT {

    private static final String STATUS =
            "{\"data\":{\"names\":[],\"ndarray\":[]},\"meta\":{},\"status\":{\"status\":0}}";
    private static final String METADATA = "{\"name\":\"model\",\"versions\":[\"v2\"],\"platform\":\"seldon\","
            + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1]}]}";

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private EngineFixture graph(RestComponent transformer, RestComponent model) {
        return fixtures.engine(
                new EngineFixture.Spec("{name: transformer, type: TRANSFORMER, children: [{name: model, type: MODEL}]}")
                        .rest(transformer)
                        .rest(model));
    }

    @Test
    void statusOfAModelIsItsHealthStatusAndTheBareRoutesAskTheRoot() throws Exception {
        RestComponent transformer =
                fixtures.rest("transformer").on("/health/status", r -> Answer.json("{\"root\":true}"));
        RestComponent model = fixtures.rest("model").on("/health/status", r -> Answer.json(STATUS));
        EngineFixture engine = graph(transformer, model);

        for (String v : new String[] {"v1.0", "v0.1"}) {
            HttpResponse<String> res =
                    engine.send(HttpRequest.newBuilder(URI.create(engine.url("/api/" + v + "/status/model")))
                            .header("X-Custom", "c1")
                            .GET()
                            .build());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).isEqualTo(STATUS);
            assertThat(res.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(engine.get("/api/" + v + "/status").body()).isEqualTo("{\"root\":true}");
            assertThat(engine.get("/api/" + v + "/health/status").body()).isEqualTo("{\"root\":true}");
        }
        RestComponent.Received call = model.received("/health/status").get(0);
        assertThat(call.method()).isEqualTo("GET");
        assertThat(call.header("X-Custom")).isEqualTo("c1");
        assertThat(transformer.received("/health/status")).hasSize(4);
    }

    @Test
    void anUnhealthyNodesAnswerPassesThroughAndAnUnknownModelIs404() throws Exception {
        RestComponent model = fixtures.rest("model")
                .on(
                        "/health/status",
                        r -> new Answer(
                                500,
                                "{\"status\":{\"code\":-1,\"info\":\"not loaded\",\"reason\":\"MICROSERVICE_INTERNAL_ERROR\",\"status\":1}}",
                                "application/json"));
        EngineFixture engine = graph(fixtures.rest("transformer"), model);

        HttpResponse<String> sick = engine.get("/api/v1.0/status/model");
        assertThat(sick.statusCode()).isEqualTo(500);
        assertThat(sick.body()).contains("not loaded");

        HttpResponse<String> unknown = engine.get("/api/v1.0/status/nobody");
        assertThat(unknown.statusCode()).isEqualTo(404);
        JsonNode status = Messages.parse(unknown.body()).get("status");
        assertThat(status.get("info").asText())
                .isEqualTo("no model named 'nobody' in the graph (its nodes: [model, " + "transformer])");
        HttpResponse<String> post = engine.post("/api/v1.0/status/model", "{}");
        assertThat(post.statusCode()).as("the endpoint exists, for GET only").isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
    }

    @Test
    void metadataOfAModelIsItsMetadataOverRestAndGrpc() throws Exception {
        RestComponent model = fixtures.rest("model").on("/metadata", r -> Answer.json(METADATA));
        EngineFixture engine = graph(fixtures.rest("transformer"), model);

        assertThat(engine.get("/api/v1.0/metadata/model").body()).isEqualTo(METADATA);
        assertThat(engine.get("/api/v0.1/metadata/model").body()).isEqualTo(METADATA);
        SeldonModelMetadata grpc = SeldonGrpc.newBlockingStub(engine.channel())
                .modelMetadata(
                        SeldonModelMetadataRequest.newBuilder().setName("model").build());
        assertThat(grpc.getVersionsList()).containsExactly("v2");
        assertThat(grpc.getInputs(0).getName()).isEqualTo("x");
        assertThat(engine.get("/api/v1.0/metadata/ghost").statusCode()).isEqualTo(404);
    }

    @Test
    void builtInsAndGrpcNodesReportTheirOwnStatus() throws Exception {
        GrpcComponent model = fixtures.grpc("model");
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: router, implementation: RANDOM_ABTEST, children: [
          {name: model, type: MODEL, endpoint: {type: GRPC}}, {name: stub, implementation: SIMPLE_MODEL}]}""").grpc("model", model));

        JsonNode root = Messages.parse(engine.get("/api/v1.0/status").body());
        assertThat(root.at("/status/status").asText()).isEqualTo("SUCCESS");
        assertThat(root.at("/status/info").asText()).contains("built-in node 'router'");
        JsonNode grpc = Messages.parse(engine.get("/api/v1.0/status/model").body());
        assertThat(grpc.at("/status/info").asText()).isEqualTo("node 'model' accepts connections");

        model.close();
        HttpResponse<String> down = engine.get("/api/v1.0/status/model");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("node 'model' does not accept connections");
    }
}
