package dev.seldonj.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.seldonj.protocol.v2.GrpcPredictV2.InferTensorContents;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class V2JsonTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestWithNestedDataIsFlattenedRowMajorAndPrintsBack() {
        ModelInferRequest r = V2Json.parseRequest(bytes("""
        {"id":"r1","parameters":{"content_type":"np"},
         "inputs":[{"name":"predict","shape":[2,2],"datatype":"FP32","data":[[1,2],[3,4.5]]},
                   {"name":"text","shape":[1],"datatype":"BYTES","data":["hello"]}],
         "outputs":[{"name":"out"}]}"""));
        assertThat(r.getId()).isEqualTo("r1");
        assertThat(r.getParametersMap().get("content_type").getStringParam()).isEqualTo("np");
        assertThat(r.getInputs(0).getShapeList()).containsExactly(2L, 2L);
        assertThat(r.getInputs(0).getContents().getFp32ContentsList()).containsExactly(1f, 2f, 3f, 4.5f);
        assertThat(r.getInputs(1).getContents().getBytesContents(0).toStringUtf8())
                .isEqualTo("hello");
        assertThat(V2Json.printRequest(r))
                .isEqualTo(
                        "{\"id\":\"r1\",\"parameters\":{\"content_type\":\"np\"},\"inputs\":["
                                + "{\"name\":\"predict\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1.0,2.0,3.0,4.5]},"
                                + "{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"hello\"]}],\"outputs\":[{\"name\":\"out\"}]}");
        assertThat(V2Json.parseRequest(bytes(V2Json.printRequest(r)))).isEqualTo(r);
    }

    @Test
    void responseRoundTripsAndRawContentsPrintAsNumbers() {
        ModelInferResponse typed = V2Json.parseResponse(
                bytes(
                        "{\"model_name\":\"iris\",\"id\":\"x\",\"outputs\":[{\"name\":\"predict\",\"shape\":[3],\"datatype\":\"INT64\",\"data\":[0,1,2]}]}"));
        assertThat(typed.getOutputs(0).getContents().getInt64ContentsList()).containsExactly(0L, 1L, 2L);
        assertThat(V2Json.parseResponse(bytes(V2Json.printResponse(typed)))).isEqualTo(typed);

        ByteBuffer raw = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(0.5f)
                .putFloat(-2f);
        ModelInferResponse rawResponse = ModelInferResponse.newBuilder()
                .setModelName("m")
                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                        .setName("o")
                        .setDatatype("FP32")
                        .addShape(1)
                        .addShape(2)
                        .setContents(InferTensorContents.getDefaultInstance()))
                .addRawOutputContents(ByteString.copyFrom(raw.array()))
                .build();
        assertThat(V2Json.printResponse(rawResponse))
                .isEqualTo(
                        "{\"model_name\":\"m\",\"outputs\":[{\"name\":\"o\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[0.5,-2.0]}]}");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1]}]} | inputs[0].data: shape [2] needs 2 elements, got 1",
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1.5]}]} | inputs[0].data[0]: expected an integer for INT32, got 1.5",
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FLOAT\",\"data\":[1]}]} | inputs[0].datatype: \"FLOAT\" is not one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES",
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP16\",\"data\":[1]}]} | inputs[0].datatype: FP16 has no JSON form: send it as binary data",
                "{\"inputs\":[{\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]} | inputs[0].name: required field is missing",
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[-1],\"datatype\":\"FP32\",\"data\":[]}]} | inputs[0].shape[0]: expected a dimension (an integer >= 0), got -1",
                "{\"inputs\":[]} | inputs: at least one input tensor is required",
                "{\"input\":[]} | input: unknown field (expected one of id, parameters, inputs, outputs)",
            })
    void malformedRequestsNameTheirPath(String body, String expected) {
        assertThatThrownBy(() -> V2Json.parseRequest(bytes(body)))
                .isInstanceOf(SeldonJsonException.class)
                .hasMessage(expected.trim());
    }
}
