package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.seldonj.engine.core.EngineException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

class TensorflowMessagesTest {

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }

    private static JsonNode json(byte[] b) throws IOException {
        return SeldonJsonScanner.MAPPER.readTree(b);
    }

    @Test
    void aGrpcRequestBecomesColumnarJsonWithItsShapeTypedValuesRawContentAndBroadcasts() throws Exception {
        ByteBuffer raw = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1)
                .putInt(-2)
                .putInt(3)
                .putInt(4);
        PredictRequest request = PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("m").setSignatureName("serving_default"))
                .putInputs(
                        "f",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_FLOAT)
                                .setTensorShape(shape(2, 2))
                                .addFloatVal(0.5f)
                                .addFloatVal(1)
                                .addFloatVal(2)
                                .addFloatVal(3)
                                .build())
                .putInputs(
                        "raw",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_INT32)
                                .setTensorShape(shape(4))
                                .setTensorContent(ByteString.copyFrom(raw.array()))
                                .build())
                .putInputs(
                        "fill",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_INT64)
                                .setTensorShape(shape(1, 3))
                                .addInt64Val(7)
                                .build())
                .putInputs(
                        "s",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_STRING)
                                .addStringVal(ByteString.copyFromUtf8("héllo"))
                                .build())
                .putInputs(
                        "bin",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_STRING)
                                .setTensorShape(shape(1))
                                .addStringVal(ByteString.copyFrom(new byte[] {(byte) 0xff, 0}))
                                .build())
                .build();

        JsonNode out = json(TensorflowMessages.json(Message.ofProtocolProto(request)));

        assertThat(out.get("signature_name").asText()).isEqualTo("serving_default");
        assertThat(out.at("/inputs/f").toString()).isEqualTo("[[0.5,1.0],[2.0,3.0]]");
        assertThat(out.at("/inputs/raw").toString()).isEqualTo("[1,-2,3,4]");
        assertThat(out.at("/inputs/fill").toString()).isEqualTo("[[7,7,7]]");
        assertThat(out.at("/inputs/s").asText()).isEqualTo("héllo");
        assertThat(out.at("/inputs/bin/0/b64").asText()).isEqualTo("/wA=");
        // and as the next REST step's request, the columnar inputs stay inputs
        assertThat(json(TensorflowMessages.requestJson(Message.ofProtocolProto(request), "m"))
                        .has("inputs"))
                .isTrue();
    }

    @Test
    void aTensorWhoseValuesDoNotFillItsShapeIsRefusedNamingIt() {
        PredictRequest request = PredictRequest.newBuilder()
                .putInputs(
                        "x",
                        TensorProto.newBuilder()
                                .setDtype(DataType.DT_FLOAT)
                                .setTensorShape(shape(3))
                                .addFloatVal(1)
                                .addFloatVal(2)
                                .build())
                .build();

        assertThatThrownBy(() -> TensorflowMessages.json(Message.ofProtocolProto(request)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("inputs.x: the shape needs 3 values, the tensor has 2");
                });
    }

    @Test
    void restAnswersBecomeGrpcTensorsWithInferredTypes() {
        PredictResponse columnar = TensorflowMessages.responseProto(Message.trusted(
                "{\"outputs\":{\"p\":[[0.25,1],[2,3]],\"n\":[1,2],\"b\":[true],\"s\":[\"a\",{\"b64\":\"/wA=\"}]}}"
                        .getBytes(StandardCharsets.UTF_8)));
        TensorProto p = columnar.getOutputsOrThrow("p");
        assertThat(p.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(p.getTensorShape()).isEqualTo(shape(2, 2));
        assertThat(p.getFloatValList()).containsExactly(0.25f, 1f, 2f, 3f);
        assertThat(columnar.getOutputsOrThrow("n").getInt64ValList()).containsExactly(1L, 2L);
        assertThat(columnar.getOutputsOrThrow("b").getBoolValList()).containsExactly(true);
        assertThat(columnar.getOutputsOrThrow("s").getStringVal(1))
                .isEqualTo(ByteString.copyFrom(new byte[] {(byte) 0xff, 0}));

        PredictResponse rows = TensorflowMessages.responseProto(
                Message.trusted("{\"predictions\":[{\"label\":1,\"score\":0.5},{\"label\":0,\"score\":0.25}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(rows.getOutputsOrThrow("label").getInt64ValList()).containsExactly(1L, 0L);
        assertThat(rows.getOutputsOrThrow("score").getFloatValList()).containsExactly(0.5f, 0.25f);

        PredictResponse unnamed = TensorflowMessages.responseProto(
                Message.trusted("{\"predictions\":[[1.5],[2.5]]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(unnamed.getOutputsOrThrow("predictions").getTensorShape()).isEqualTo(shape(2, 1));
    }

    @Test
    void raggedOrMixedAnswersAreInvalidNamingThePath() {
        assertThatThrownBy(() -> TensorflowMessages.responseProto(
                        Message.trusted("{\"predictions\":[[1,2],[3]]}".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("predictions[1]: expected an array of 2");
        assertThatThrownBy(() -> TensorflowMessages.responseProto(
                        Message.trusted("{\"outputs\":{\"y\":[1,\"a\"]}}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_RESPONSE);
                    assertThat(e.getMessage()).contains("outputs.y: element 1 (\"a\") does not fit");
                });
    }

    @Test
    void grpcAnswersChainIntoTheNextNodesRequestUntouched() {
        TensorProto t = TensorProto.newBuilder()
                .setDtype(DataType.DT_HALF)
                .setTensorShape(shape(1))
                .setTensorContent(ByteString.copyFrom(new byte[] {0, 60}))
                .build();
        PredictResponse answer = PredictResponse.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("a"))
                .putOutputs("y", t)
                .build();

        PredictRequest next = TensorflowMessages.requestProto(Message.ofProtocolProto(answer), "b");

        assertThat(next.getModelSpec().getName()).isEqualTo("b");
        assertThat(next.getInputsOrThrow("y")).isSameAs(t);
        PredictRequest first = PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("as-sent"))
                .build();
        assertThat(TensorflowMessages.requestProto(Message.ofProtocolProto(first), "b"))
                .isSameAs(first);
    }
}
