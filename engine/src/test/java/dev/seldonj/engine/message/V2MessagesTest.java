package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferParameter;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class V2MessagesTest {

    private static final ByteString RAW = ByteString.copyFrom(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40});

    @Test
    void anAnswerChainsIntoARequestForTheNextNodeWithItsRawContentsUntouched() {
        ModelInferResponse answer = ModelInferResponse.newBuilder()
                .setModelName("a")
                .setModelVersion("3")
                .setId("r1")
                .putParameters(
                        "p", InferParameter.newBuilder().setBoolParam(true).build())
                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                        .setName("y")
                        .setDatatype("FP32")
                        .addShape(1)
                        .addShape(2))
                .addRawOutputContents(RAW)
                .build();

        ModelInferRequest next = V2Messages.requestProto(Message.ofProtocolProto(answer), "b");

        assertThat(next.getModelName()).isEqualTo("b");
        assertThat(next.getModelVersion()).isEmpty();
        assertThat(next.getId()).isEqualTo("r1");
        assertThat(next.getParametersMap()).containsKey("p");
        assertThat(next.getInputs(0).getName()).isEqualTo("y");
        assertThat(next.getInputs(0).getShapeList()).containsExactly(1L, 2L);
        assertThat(next.getRawInputContents(0)).isSameAs(RAW);
        // a REST node gets the same tensor as JSON numbers, under inputs
        assertThat(new String(V2Messages.requestJson(Message.ofProtocolProto(answer)), StandardCharsets.UTF_8))
                .contains("\"inputs\":[{\"name\":\"y\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1.0,2.0]}]");
    }

    @Test
    void theClientsRequestReachesTheFirstGrpcNodeAsSent() {
        ModelInferRequest request = ModelInferRequest.newBuilder()
                .setModelName("whatever")
                .addRawInputContents(RAW)
                .build();
        assertThat(V2Messages.requestProto(Message.ofProtocolProto(request), "first"))
                .isSameAs(request);
    }

    @Test
    void restJsonBecomesAGrpcRequestOrIsRefusedNamingThePath() {
        String json = "{\"outputs\":[{\"name\":\"y\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[1,2]}]}";
        ModelInferRequest r = V2Messages.requestProto(Message.trusted(json.getBytes(StandardCharsets.UTF_8)), "m");
        assertThat(r.getModelName()).isEqualTo("m");
        assertThat(r.getInputs(0).getContents().getInt64ContentsList()).containsExactly(1L, 2L);

        String bad = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1]}]}";
        assertThatThrownBy(() -> V2Messages.requestProto(Message.trusted(bad.getBytes(StandardCharsets.UTF_8)), "m"))
                .isInstanceOfSatisfying(
                        EngineException.class,
                        e -> assertThat(e.getMessage())
                                .contains("gRPC node 'm'")
                                .contains("inputs[0].data: shape [2] needs 2 elements, got 1"));
    }

    @Test
    void aRequestAnsweredAsItIsBecomesAResponse() {
        ModelInferRequest request = ModelInferRequest.newBuilder()
                .setModelName("m")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("x")
                        .setDatatype("FP32")
                        .addShape(2))
                .addRawInputContents(RAW)
                .build();

        ModelInferResponse answer = V2Messages.responseProto(Message.ofProtocolProto(request));

        assertThat(answer.getOutputs(0).getName()).isEqualTo("x");
        assertThat(answer.getRawOutputContents(0)).isSameAs(RAW);
    }
}
