package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.seldonj.engine.it.RestComponent.Answer;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/** Graphs of protocol tensorflow (Seldon's TENSORFLOW_SERVER / TF Serving): REST and gRPC, as Seldon's executor serves them. */
class TensorflowIT {

    private static final String TWO_STEPS = "{name: pre, type: TRANSFORMER, children: [{name: model, type: MODEL}]}";

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }

    /** A REST step doubling the first instance; a REST model adding one to it. */
    private EngineFixture restGraph(RestComponent pre, RestComponent model) {
        pre.on(
                "/v1/models/pre:predict",
                r -> Answer.json("{\"predictions\":[["
                        + 2 * Messages.parse(r.body()).at("/instances/0/0").asDouble() + "]]}"));
        model.on(
                "/v1/models/model:predict",
                r -> Answer.json("{\"model_version\": \"1\", \"predictions\": [["
                        + (Messages.parse(r.body()).at("/instances/0/0").asDouble() + 1) + "]]}"));
        return fixtures.engine(new EngineFixture.Spec(TWO_STEPS)
                .protocol("tensorflow")
                .rest(pre)
                .rest(model));
    }

    @Test
    void restPredictChainsPredictionsIntoInstancesAndAnswersTheLastStepUntouched() throws Exception {
        RestComponent pre = fixtures.rest("pre");
        RestComponent model = fixtures.rest("model");
        EngineFixture engine = restGraph(pre, model);
        String request = "{\"instances\": [[3.0]], \"signature_name\": \"serving_default\"}";

        HttpResponse<String> res = engine.post("/v1/models/pre:predict", request, "X-Trace", "t1");

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("{\"model_version\": \"1\", \"predictions\": [[7.0]]}");
        String puid = res.headers().firstValue("Seldon-Puid").orElseThrow();
        assertThat(pre.received("/v1/models/pre:predict").get(0).body()).isEqualTo(request);
        RestComponent.Received step2 =
                model.received("/v1/models/model:predict").get(0);
        assertThat(step2.body()).isEqualTo("{\"instances\":[[6.0]]}");
        assertThat(step2.header("X-Trace")).isEqualTo("t1");
        assertThat(step2.header("Seldon-Puid")).isEqualTo(puid);
    }

    @Test
    void theModelInThePathIsWhereTheGraphStartsAndSeldonsExtensionsStartAtTheRoot() throws Exception {
        RestComponent pre = fixtures.rest("pre");
        RestComponent model = fixtures.rest("model");
        EngineFixture engine = restGraph(pre, model);

        HttpResponse<String> fromModel = engine.post("/v1/models/model:predict", "{\"instances\":[[10]]}");
        assertThat(Messages.parse(fromModel.body()).at("/predictions/0/0").asDouble())
                .isEqualTo(11.0);
        assertThat(pre.received()).isEmpty();
        assertThat(engine.post("/v1/models/model/:predict", "{\"instances\":[[1]]}")
                        .body())
                .contains("[[2.0]]");
        assertThat(pre.received()).isEmpty();

        for (String path : new String[] {"/v1/models:predict", "/v1/models/:predict", "/v1/models/pre/:predict"}) {
            HttpResponse<String> res = engine.post(path, "{\"instances\":[[1]]}");
            assertThat(res.statusCode()).as(path).isEqualTo(200);
            assertThat(Messages.parse(res.body()).at("/predictions/0/0").asDouble())
                    .as(path)
                    .isEqualTo(3.0);
        }
        assertThat(pre.received()).hasSize(3);
    }

    @Test
    void aTensorflowRouterChoosesTheBranchFromItsPredictions() throws Exception {
        RestComponent router =
                fixtures.rest("router").on("/v1/models/router:route", r -> Answer.json("{\"predictions\":[[1]]}"));
        RestComponent a = fixtures.rest("a").on("/v1/models/a:predict", r -> Answer.json("{\"predictions\":[\"a\"]}"));
        RestComponent b = fixtures.rest("b").on("/v1/models/b:predict", r -> Answer.json("{\"predictions\":[\"b\"]}"));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec(
                        "{name: router, type: ROUTER, children: [{name: a, type: MODEL}, {name: b, type: MODEL}]}")
                .protocol("tensorflow")
                .rest(router)
                .rest(a)
                .rest(b));

        HttpResponse<String> res = engine.post("/v1/models:predict", "{\"instances\":[1]}");

        assertThat(res.body()).isEqualTo("{\"predictions\":[\"b\"]}");
        assertThat(a.received()).isEmpty();
    }

    @Test
    void statusAndMetadataAreForwardedToTheNamedNode() throws Exception {
        RestComponent pre = fixtures.rest("pre");
        String status = "{\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\"}]}";
        String metadata = "{\"model_spec\":{\"name\":\"model\",\"version\":\"1\"},\"metadata\":{\"signature_def\":{}}}";
        RestComponent model = fixtures.rest("model")
                .on("/v1/models/model", r -> Answer.json(status))
                .on("/v1/models/model/metadata", r -> Answer.json(metadata));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec(TWO_STEPS)
                .protocol("tensorflow")
                .rest(pre)
                .rest(model));

        assertThat(engine.get("/v1/models/model").body()).isEqualTo(status);
        assertThat(engine.get("/v1/models/model/metadata").body()).isEqualTo(metadata);
        assertThat(model.received()).extracting(RestComponent.Received::method).containsExactly("GET", "GET");
        HttpResponse<String> unknown = engine.get("/v1/models/nope/metadata");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no model named 'nope'").contains("[model, pre]");
    }

    @Test
    void badRequestsNameTheFieldAndComponentErrorsPassThrough() throws Exception {
        RestComponent pre = fixtures.rest("pre");
        RestComponent model = fixtures.rest("model");
        EngineFixture engine = restGraph(pre, model);

        HttpResponse<String> bad = engine.post("/v1/models/pre:predict", "{\"data\":{\"ndarray\":[1]}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Messages.parse(bad.body()).at("/status/info").asText()).contains("instances: missing");
        assertThat(engine.get("/v1/models/pre:predict").statusCode()).isEqualTo(404);
        assertThat(engine.post("/v1/models/ghost:predict", "{\"instances\":[1]}")
                        .statusCode())
                .isEqualTo(404);

        model.on(
                "/v1/models/model:predict",
                r -> new Answer(400, "{\"error\": \"Input size mismatch\"}", "application/json"));
        HttpResponse<String> failed = engine.post("/v1/models/pre:predict", "{\"instances\":[[1]]}");
        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(failed.body()).isEqualTo("{\"error\": \"Input size mismatch\"}");

        pre.on("/v1/models/pre:predict", r -> Answer.json("{\"error\":\"no tensors\"}"));
        HttpResponse<String> unchainable = engine.post("/v1/models/pre:predict", "{\"instances\":[[1]]}");
        assertThat(unchainable.statusCode()).isEqualTo(500);
        assertThat(unchainable.body()).contains("cannot pass the message to node 'model'");
    }

    @Test
    void feedbackIsAcceptedButNotSentToTensorflowNodesAsSeldonsExecutorDoes() throws Exception {
        RestComponent pre = fixtures.rest("pre");
        RestComponent model = fixtures.rest("model");
        EngineFixture engine = restGraph(pre, model);

        HttpResponse<String> res =
                engine.post("/api/v1.0/feedback", "{\"request\":{\"data\":{\"ndarray\":[1]}},\"reward\":1}");

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(pre.received()).isEmpty();
        assertThat(model.received()).isEmpty();
    }

    @Test
    void grpcPredictReachesRestNodesAsColumnarJsonAndAnswersTypedTensors() throws Exception {
        RestComponent pre = fixtures.rest("pre").on("/v1/models/pre:predict", r -> {
            JsonNode x = Messages.parse(r.body()).at("/inputs/x/0");
            return Answer.json(
                    "{\"outputs\":{\"h\":[[" + (x.get(0).asDouble() + x.get(1).asDouble()) + "]]}}");
        });
        RestComponent model = fixtures.rest("model")
                .on(
                        "/v1/models/model:predict",
                        r -> Answer.json("{\"predictions\":[{\"label\":1,\"score\":"
                                + Messages.parse(r.body()).at("/inputs/h/0/0").asDouble() / 10 + "}]}"));
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec(TWO_STEPS)
                .protocol("tensorflow")
                .rest(pre)
                .rest(model));
        PredictRequest request = PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("pre"))
                .putInputs(
                        "x",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_FLOAT)
                                .setTensorShape(shape(1, 2))
                                .addFloatVal(1.5f)
                                .addFloatVal(2.5f)
                                .build())
                .build();

        PredictResponse answer =
                PredictionServiceGrpc.newBlockingStub(engine.channel()).predict(request);

        assertThat(pre.received().get(0).body()).isEqualTo("{\"inputs\":{\"x\":[[1.5,2.5]]}}");
        assertThat(model.received().get(0).body()).isEqualTo("{\"inputs\":{\"h\":[[4.0]]}}");
        assertThat(answer.getOutputsOrThrow("label").getInt64ValList()).containsExactly(1L);
        TensorProto score = answer.getOutputsOrThrow("score");
        assertThat(score.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(score.getTensorShape()).isEqualTo(shape(1));
        assertThat(score.getFloatValList()).containsExactly(0.4f);
    }

    @Test
    void grpcNodesGetTheClientsRequestUntouchedAndEachAnswerChainedByName() throws Exception {
        TensorProto half = TensorProto.newBuilder()
                .setDtype(DataType.DT_HALF)
                .setTensorShape(shape(2))
                .setTensorContent(ByteString.copyFrom(new byte[] {0, 60, 0, 64}))
                .build();
        TensorflowGrpcComponent pre = new TensorflowGrpcComponent(r -> PredictResponse.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("pre"))
                .putOutputs("h", r.getInputsOrThrow("x"))
                .build());
        TensorflowGrpcComponent model = new TensorflowGrpcComponent(r -> PredictResponse.newBuilder()
                .setModelSpec(r.getModelSpec())
                .putOutputs("y", r.getInputsOrThrow("h"))
                .build());
        fixtures.closing(pre);
        fixtures.closing(model);
        EngineFixture engine = fixtures.engine(new EngineFixture.Spec("""
        {name: pre, type: TRANSFORMER, endpoint: {type: GRPC}, children: [
          {name: model, type: MODEL, endpoint: {type: GRPC}}]}""")
                .protocol("tensorflow")
                .container("pre", 0, pre.port())
                .container("model", 0, model.port()));
        // field 7 (request_options in newer TF Serving) is not declared here: it must pass through all the same
        PredictRequest request = PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("pre"))
                .putInputs("x", half)
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(
                                7,
                                UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(ByteString.copyFromUtf8("\u0008\u0001"))
                                        .build())
                        .build())
                .build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-trace", Metadata.ASCII_STRING_MARSHALLER), "t2");

        PredictResponse answer = PredictionServiceGrpc.newBlockingStub(engine.channel())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .predict(request);

        assertThat(pre.calls().get(0).request()).isEqualTo(request);
        assertThat(pre.calls().get(0).request().getUnknownFields().hasField(7)).isTrue();
        PredictRequest chained = model.calls().get(0).request();
        assertThat(chained.getModelSpec().getName()).isEqualTo("model");
        assertThat(chained.getInputsOrThrow("h")).isEqualTo(half);
        assertThat(model.calls().get(0).header("x-trace")).isEqualTo("t2");
        assertThat(model.calls().get(0).header("seldon-puid")).isNotEmpty();
        assertThat(answer.getOutputsOrThrow("y")).isEqualTo(half);
        assertThat(answer.getModelSpec().getName()).isEqualTo("model");

        HttpResponse<String> rest = engine.post("/v1/models:predict", "{\"instances\":[[1]]}");
        assertThat(rest.statusCode()).isEqualTo(501);
        assertThat(rest.body()).contains("node 'pre' is a TensorFlow Serving gRPC node");
        assertThat(engine.get("/v1/models/model").statusCode())
                .as("status: the node accepts connections")
                .isEqualTo(200);
    }

    @Test
    void aGraphMixingRestAndGrpcNodesIsRefusedAtStartUp() throws Exception {
        RestComponent pre = fixtures.rest("pre");
        assertThatThrownBy(() -> EngineFixture.start(new EngineFixture.Spec("""
        {name: pre, type: TRANSFORMER, children: [{name: model, type: MODEL, endpoint: {type: GRPC}}]}""")
                        .protocol("tensorflow")
                        .rest(pre)
                        .container("model", 0, 9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 'pre' is REST and node 'model' is gRPC")
                .hasMessageContaining("must all use one transport");
    }
}
