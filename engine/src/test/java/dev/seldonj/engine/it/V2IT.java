package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.seldonj.engine.it.RestComponent.Answer;
import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferTensorContents;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerReadyRequest;
import io.grpc.Metadata;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Graphs whose protocol is v2: REST and gRPC inference through a transformer and a model. */
class V2IT {

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private static ByteString fp32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return ByteString.copyFrom(b.array());
    }

    private static float[] fp32(ByteString raw) {
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.size() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    private static ModelInferResponse.InferOutputTensor.Builder output(String name, long... shape) {
        ModelInferResponse.InferOutputTensor.Builder t =
                ModelInferResponse.InferOutputTensor.newBuilder().setName(name).setDatatype("FP32");
        for (long d : shape) {
            t.addShape(d);
        }
        return t;
    }

    private static final String OUT = "{\"model_name\":\"%s\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\","
            + "\"shape\":[1,2],\"data\":[%s]}]}";

    @Test
    void restAndGrpcInferenceChainOutputsIntoInputs() throws Exception {
        try (RestComponent pre = new RestComponent("pre")
                        .on("/v2/models/pre/infer", r -> Answer.json(OUT.formatted("pre", "1.0,2.0")));
                RestComponent model = new RestComponent("model").on("/v2/models/model/infer", r -> {
                    JsonNode in = Messages.parse(r.body());
                    double sum = in.at("/inputs/0/data/0").asDouble()
                            + in.at("/inputs/0/data/1").asDouble();
                    return Answer.json(OUT.formatted("model", sum + "," + sum));
                });
                EngineFixture engine = EngineFixture.start(
                        new EngineFixture.Spec("{name: pre, type: TRANSFORMER, children: [{name: model, type: MODEL}]}")
                                .protocol("v2")
                                .rest(pre)
                                .rest(model))) {
            String request = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[5]}]}";

            HttpResponse<String> res = engine.post("/v2/models/pre/infer", request);

            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(Messages.parse(res.body()).at("/outputs/0/data/0").asDouble())
                    .isEqualTo(3.0);
            assertThat(Messages.parse(model.received().get(0).body()).has("outputs"))
                    .isFalse();
            assertThat(engine.get("/v2/health/ready").statusCode()).isEqualTo(200);
            assertThat(engine.post("/v2/models/pre/infer", "{\"inputs\":[{\"name\":\"x\"}]}")
                            .body())
                    .contains("inputs[0].datatype: expected a string");

            for (int i = 0; i < 3; i++) {
                assertThat(engine.get("/ready").statusCode())
                        .as("readiness is repeatable")
                        .isEqualTo(200);
            }
            var stub = GRPCInferenceServiceGrpc.newBlockingStub(engine.channel());
            ModelInferResponse answer = stub.modelInfer(ModelInferRequest.newBuilder()
                    .setModelName("pre")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                            .setName("x")
                            .setDatatype("FP32")
                            .addShape(1)
                            .addShape(1)
                            .setContents(InferTensorContents.newBuilder().addFp32Contents(5)))
                    .build());
            assertThat(answer.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(3.0f, 3.0f);
            assertThat(answer.getModelName()).isEqualTo("model");
            assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
                    .isTrue();
        }
    }

    @Test
    void theModellessInferExtensionAndModelReadyAndMetadataForwardedToTheNode() throws Exception {
        String metadata = "{\"name\":\"model\",\"versions\":[\"1\"],\"platform\":\"mlserver\",\"inputs\":[]}";
        RestComponent model = fixtures.rest("model")
                .on("/v2/models/model/infer", r -> Answer.json(OUT.formatted("model", "1.0,2.0")))
                .on("/v2/models/model/ready", r -> new Answer(200, "", null))
                .on("/v2/models/model", r -> Answer.json(metadata));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("{name: model, type: MODEL}")
                .protocol("v2")
                .rest(model));
        String request = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[5]}]}";

        HttpResponse<String> res = engine.post("/v2/models/infer", request);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo(OUT.formatted("model", "1.0,2.0"));

        assertThat(engine.get("/v2/models/model/ready").statusCode()).isEqualTo(200);
        assertThat(engine.get("/v2/models/model").body()).isEqualTo(metadata);
        assertThat(model.received())
                .extracting(RestComponent.Received::path)
                .containsExactly("/v2/models/model/infer", "/v2/models/model/ready", "/v2/models/model");

        model.on("/v2/models/model/ready", r -> new Answer(503, "{\"error\":\"loading\"}", "application/json"));
        HttpResponse<String> notReady = engine.get("/v2/models/model/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("{\"error\":\"loading\"}");
        assertThat(engine.get("/v2/models/other/ready").statusCode()).isEqualTo(404);
        assertThat(engine.get("/v2/models/other").body()).contains("no model named 'other'");
    }

    @Test
    void grpcNodesPassRawContentsThroughUntouchedAndChainOutputsIntoTheNextNodesInputs() throws Exception {
        // pre doubles its input (raw, or typed when a REST client's JSON was converted) and adds a 7
        V2GrpcComponent pre = fixtures.closing(new V2GrpcComponent(
                "pre",
                r -> ModelInferResponse.newBuilder()
                        .setModelName("pre")
                        .setId(r.getId())
                        .addOutputs(output("h", 1, 2))
                        .addRawOutputContents(fp32(
                                2
                                        * (r.getRawInputContentsCount() > 0
                                                ? fp32(r.getRawInputContents(0))[0]
                                                : r.getInputs(0).getContents().getFp32Contents(0)),
                                7f))
                        .build()));
        V2GrpcComponent model = fixtures.closing(new V2GrpcComponent(
                "model",
                r -> ModelInferResponse.newBuilder()
                        .setModelName("model")
                        .setModelVersion("3")
                        .setId(r.getId())
                        .addOutputs(output("y", 1, 2))
                        .addRawOutputContents(r.getRawInputContents(0))
                        .build()));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: pre, type: TRANSFORMER, endpoint: {type: GRPC}, children: [
          {name: model, type: MODEL, endpoint: {type: GRPC}}]}""")
                .protocol("v2")
                .container("pre", 0, pre.port())
                .container("model", 0, model.port()));
        ModelInferRequest request = ModelInferRequest.newBuilder()
                .setModelName("pre")
                .setId("req-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("x")
                        .setDatatype("FP32")
                        .addShape(1))
                .addRawInputContents(fp32(1.25f))
                .build();

        ModelInferResponse answer =
                GRPCInferenceServiceGrpc.newBlockingStub(engine.channel()).modelInfer(request);

        assertThat(pre.requests().get(0)).isEqualTo(request);
        ModelInferRequest chained = model.requests().get(0);
        assertThat(chained.getModelName()).isEqualTo("model");
        assertThat(chained.getId()).isEqualTo("req-1");
        assertThat(chained.getInputs(0).getName()).isEqualTo("h");
        assertThat(chained.getInputs(0).getShapeList()).containsExactly(1L, 2L);
        assertThat(fp32(chained.getRawInputContents(0))).containsExactly(2.5f, 7f);
        assertThat(answer.getModelVersion()).isEqualTo("3");
        assertThat(fp32(answer.getRawOutputContents(0))).containsExactly(2.5f, 7f);
        assertThat(answer.getOutputs(0).getContents().getFp32ContentsCount())
                .as("raw stays raw")
                .isZero();
        assertThat(model.headers().get(0).get(Metadata.Key.of("seldon-puid", Metadata.ASCII_STRING_MARSHALLER)))
                .isNotEmpty();

        // A REST client of the same graph: its JSON becomes the first request, the raw answer becomes JSON numbers.
        HttpResponse<String> rest = engine.post(
                "/v2/models/pre/infer",
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[3.0]}]}");
        assertThat(rest.statusCode()).isEqualTo(200);
        assertThat(pre.requests().get(1).getInputs(0).getContents().getFp32ContentsList())
                .containsExactly(3.0f);
        assertThat(pre.requests().get(1).getModelName()).isEqualTo("pre");
        JsonNode out = Messages.parse(rest.body());
        assertThat(out.at("/model_name").asText()).isEqualTo("model");
        assertThat(out.at("/outputs/0/data").toString()).isEqualTo("[6.0,7.0]");

        // ready and metadata through the node's own gRPC calls
        assertThat(engine.get("/v2/models/model/ready").statusCode()).isEqualTo(200);
        model.ready(false);
        assertThat(engine.get("/v2/models/model/ready").statusCode()).isEqualTo(503);
        JsonNode meta = Messages.parse(engine.get("/v2/models/model").body());
        assertThat(meta.get("name").asText()).isEqualTo("model");
        assertThat(meta.get("platform").asText()).isEqualTo("test-grpc");
    }

    @Test
    void aV2GrpcRouterIsRefusedAtStartUp() {
        assertThatThrownBy(() -> EngineFixture.start(
                        new EngineFixture.Spec("""
        {name: r, type: ROUTER, endpoint: {type: GRPC}, children: [{name: a, implementation: SIMPLE_MODEL}]}""").protocol("v2").container("r", 0, 9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 'r': a v2 gRPC node can only predict or transform");
    }
}
