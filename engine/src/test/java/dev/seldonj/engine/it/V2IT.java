package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.engine.it.RestComponent.Answer;
import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferTensorContents;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerReadyRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Graphs whose protocol is v2: REST and gRPC inference through a transformer and a model. */
class V2IT {

  private static final String OUT = "{\"model_name\":\"%s\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\","
      + "\"shape\":[1,2],\"data\":[%s]}]}";

  @Test
  void restAndGrpcInferenceChainOutputsIntoInputs() throws Exception {
    try (RestComponent pre = new RestComponent("pre").on("/v2/models/pre/infer",
            r -> Answer.json(OUT.formatted("pre", "1.0,2.0")));
        RestComponent model = new RestComponent("model").on("/v2/models/model/infer", r -> {
          JsonNode in = Messages.parse(r.body());
          double sum = in.at("/inputs/0/data/0").asDouble() + in.at("/inputs/0/data/1").asDouble();
          return Answer.json(OUT.formatted("model", sum + "," + sum));
        });
        EngineFixture engine = EngineFixture.start(new EngineFixture.Spec(
            "{name: pre, type: TRANSFORMER, children: [{name: model, type: MODEL}]}").protocol("v2").rest(pre)
            .rest(model))) {
      String request = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[5]}]}";

      HttpResponse<String> res = engine.post("/v2/models/pre/infer", request);

      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(Messages.parse(res.body()).at("/outputs/0/data/0").asDouble()).isEqualTo(3.0);
      assertThat(Messages.parse(model.received().get(0).body()).has("outputs")).isFalse();
      assertThat(engine.get("/v2/health/ready").statusCode()).isEqualTo(200);
      assertThat(engine.post("/v2/models/pre/infer", "{\"inputs\":[{\"name\":\"x\"}]}").body())
          .contains("inputs[0].datatype: expected a string");

      for (int i = 0; i < 3; i++) {
        assertThat(engine.get("/ready").statusCode()).as("readiness is repeatable").isEqualTo(200);
      }
      var stub = GRPCInferenceServiceGrpc.newBlockingStub(engine.channel());
      ModelInferResponse answer = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("pre")
          .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(1)
              .addShape(1).setContents(InferTensorContents.newBuilder().addFp32Contents(5))).build());
      assertThat(answer.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(3.0f, 3.0f);
      assertThat(answer.getModelName()).isEqualTo("model");
      assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    }
  }
}
