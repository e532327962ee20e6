package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.protocol.SeldonJson;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;

class PayloadsTest {

    @Test
    void readsTensorsAndNdarraysAsRows() {
        SeldonMessage tensor =
                SeldonJson.parseMessage("{\"data\":{\"tensor\":{\"shape\":[2,2],\"values\":[0,0,1,1]}}}");
        assertThat(Payloads.matrix(tensor)).isDeepEqualTo(new double[][] {{0, 0}, {1, 1}});
        SeldonMessage ndarray = SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1,2,5]]}}");
        assertThat(Payloads.matrix(ndarray)).isDeepEqualTo(new double[][] {{1, 2, 5}});
        SeldonMessage flat = SeldonJson.parseMessage("{\"data\":{\"ndarray\":[1,2]}}");
        assertThat(Payloads.matrix(flat)).isDeepEqualTo(new double[][] {{1, 2}});
    }

    @Test
    void nonNumericInputIsBadDataNamingThePath() {
        assertThatThrownBy(() -> Payloads.matrix(SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1,\"a\"]]}}")))
                .isInstanceOf(SeldonComponentException.class)
                .hasMessage("data.ndarray[0][1]: expected a number, got \"a\"");
        assertThatThrownBy(() -> Payloads.matrix(SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1,2],[3]]}}")))
                .hasMessage("data.ndarray[1]: expected 2 values like row 0, got 1");
        assertThatThrownBy(() -> Payloads.matrix(SeldonJson.parseMessage("{\"strData\":\"hi\"}")))
                .hasMessage("expected numeric data (data.tensor or data.ndarray), got strData");
    }

    @Test
    void answersKeepTheRequestsForm() {
        SeldonMessage ndarray = SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1]]}}");
        assertThat(SeldonJson.print(Payloads.respondLike(ndarray, new double[][] {{0.5}}, List.of("proba"))))
                .isEqualTo("{\"data\":{\"names\":[\"proba\"],\"ndarray\":[[0.5]]}}");
        SeldonMessage noData = SeldonJson.parseMessage("{\"strData\":\"x\"}");
        assertThat(SeldonJson.print(Payloads.route(noData, 1)))
                .isEqualTo("{\"data\":{\"names\":[\"t:0\"],\"tensor\":{\"shape\":[1,1],\"values\":[1.0]}}}");
    }

    @Test
    void tftensorAnswersAreNamedAsThePythonWrapperNamesThem() {
        // [[1, 2, 3], [4, 5, 6]] as float32, as tf.make_tensor_proto writes it: packed little-endian content.
        ByteBuffer content = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1, 2, 3, 4, 5, 6}) {
            content.putFloat(v);
        }
        String b64 = Base64.getEncoder().encodeToString(content.array());
        SeldonMessage request = SeldonJson.parseMessage("{\"data\":{\"names\":[\"a\",\"b\",\"c\"],\"tftensor\":{"
                + "\"dtype\":\"DT_FLOAT\",\"tensorShape\":{\"dim\":[{\"size\":\"2\"},{\"size\":\"3\"}]},"
                + "\"tensorContent\":\"" + b64 + "\"}}}");
        assertThat(Payloads.matrix(request)).isDeepEqualTo(new double[][] {{1, 2, 3}, {4, 5, 6}});
        SeldonMessage passed = Payloads.passThrough(request);
        assertThat(passed.getData().getNamesList()).containsExactly("t:0", "t:1", "t:2");
        assertThat(passed.getData().getTftensor()).isEqualTo(request.getData().getTftensor());
        SeldonMessage answer = Payloads.respondLike(request, new double[][] {{0.5}, {0.25}}, null);
        assertThat(answer.getData().getNamesList()).containsExactly("t:0");
        assertThat(Payloads.matrix(answer)).isDeepEqualTo(new double[][] {{0.5}, {0.25}});
        assertThat(answer.getData().getTftensor().getDtype()).isEqualTo(DataType.DT_DOUBLE);
        // 1-D: no names, as client_class_names gives none; typed values, one value filling the shape.
        SeldonMessage flat = SeldonJson.parseMessage("{\"data\":{\"tftensor\":{\"dtype\":\"DT_DOUBLE\","
                + "\"tensorShape\":{\"dim\":[{\"size\":\"3\"}]},\"doubleVal\":[7]}}}");
        assertThat(Payloads.matrix(flat)).isDeepEqualTo(new double[][] {{7, 7, 7}});
        assertThat(Payloads.passThrough(flat).getData().getNamesList()).isEmpty();
        assertThatThrownBy(() -> Payloads.matrix(SeldonJson.parseMessage("{\"data\":{\"tftensor\":{\"dtype\":"
                        + "\"DT_STRING\",\"tensorShape\":{\"dim\":[{\"size\":\"1\"}]}}}}")))
                .hasMessageContaining(
                        "data.tftensor.dtype: expected DT_FLOAT, DT_DOUBLE, DT_INT32 or DT_INT64, got DT_STRING");
    }

    @Test
    void shapesThatClaimMoreThanTheRequestCarriesAreRefusedBeforeAnythingIsAllocated() {
        // A few bytes of JSON must not make the component name two billion columns or fill a terabyte.
        // (over gRPC: the JSON reader already refuses such a tensor)
        assertThatThrownBy(() -> Payloads.passThrough(tensor(List.of(1, 2_000_000_000), 1.0)))
                .isInstanceOf(SeldonComponentException.class)
                .hasMessage("data.tensor: shape [1, 2000000000] needs 2000000000 values, got 1");
        assertThat(Payloads.passThrough(tensor(List.of(0, 2_000_000_000)))
                        .getData()
                        .getNamesList())
                .isEmpty();
        assertThat(Payloads.passThrough(tensor(List.of(1, 2), 1.0, 2.0))
                        .getData()
                        .getNamesList())
                .containsExactly("t:0", "t:1");
        for (String shape : new String[] {
            "[{\"size\":\"1\"},{\"size\":\"1000000000000\"}]",
            "[{\"size\":\"4294967296\"},{\"size\":\"4294967296\"},{\"size\":\"4294967296\"}]"
        }) {
            SeldonMessage huge = SeldonJson.parseMessage("{\"data\":{\"tftensor\":{\"dtype\":\"DT_FLOAT\","
                    + "\"tensorShape\":{\"dim\":" + shape + "},\"floatVal\":[1]}}}");
            assertThatThrownBy(() -> Payloads.passThrough(huge))
                    .as(shape)
                    .isInstanceOf(SeldonComponentException.class)
                    .hasMessageContaining("data.tftensor.tensorShape: ")
                    .hasMessageContaining("one value fills at most 1048576");
            assertThatThrownBy(() -> Payloads.matrix(huge)).as(shape).isInstanceOf(SeldonComponentException.class);
        }
        assertThatThrownBy(() -> Payloads.passThrough(SeldonJson.parseMessage("{\"data\":{\"tftensor\":{"
                        + "\"dtype\":\"DT_FLOAT\",\"tensorShape\":{\"dim\":[{\"size\":\"2\"},{\"size\":\"300\"}]},"
                        + "\"floatVal\":[1,2,3]}}}")))
                .hasMessage("data.tftensor.tensorShape: 600 elements, but the payload carries 3 value(s)");
        // One value filling a modest shape is TensorFlow's broadcast, and fine.
        assertThat(Payloads.passThrough(SeldonJson.parseMessage("{\"data\":{\"tftensor\":{\"dtype\":\"DT_FLOAT\","
                                + "\"tensorShape\":{\"dim\":[{\"size\":\"2\"},{\"size\":\"3\"}]},\"floatVal\":[1]}}}"))
                        .getData()
                        .getNamesList())
                .containsExactly("t:0", "t:1", "t:2");
    }

    private static SeldonMessage tensor(List<Integer> shape, Double... values) {
        return SeldonMessage.newBuilder()
                .setData(DefaultData.newBuilder()
                        .setTensor(Tensor.newBuilder().addAllShape(shape).addAllValues(List.of(values))))
                .build();
    }
}
