package dev.seldonj.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.PredictionProtos.Status;
import io.seldon.protos.PredictionProtos.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SeldonJsonTest {

    static byte[] resource(String name) {
        try (InputStream in = SeldonJsonTest.class.getResourceAsStream("/protocol/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "seed000-ndarray-request.json",
                "seed000-strings-response.json",
                "seed003-tensor-request.json",
                "seed002-ndarray-request.json",
                "seed003-tensor-response.json"
            })
    void seedBodiesRoundTripThroughJsonAndProtobuf(String name) throws Exception {
        SeldonMessage parsed = SeldonJson.parseMessage(resource(name));
        assertThat(SeldonJson.parseMessage(SeldonJson.print(parsed))).isEqualTo(parsed);
        assertThat(SeldonMessage.parseFrom(parsed.toByteArray())).isEqualTo(parsed);
        // Our reading agrees with protobuf's own JSON mapping, which Seldon's codecs use.
        SeldonMessage.Builder reference = SeldonMessage.newBuilder();
        JsonFormat.parser().merge(new String(resource(name)), reference);
        assertThat(parsed).isEqualTo(reference.build());
    }

    @Test
    void seedResponseReadsItsMeta() {
        SeldonMessage m = SeldonJson.parseMessage(resource("seed003-tensor-response.json"));
        assertThat(m.getMeta().getPuid()).isEqualTo("hsu0j9c39a4avmeonhj2ugllh9");
        assertThat(m.getMeta().getRequestPathMap())
                .containsEntry("classifier", "alexioannides/test-ml-score-seldon-api:latest");
        assertThat(m.getData().getNamesList()).containsExactly("t:0", "t:1");
        assertThat(m.getData().getTensor().getValuesList()).containsExactly(0.0, 0.0, 1.0, 1.0);
    }

    @Test
    void ndarrayIsPlainNestedArraysAndTensorIsShapeAndValues() {
        SeldonMessage m = SeldonJson.parseMessage(resource("seed000-ndarray-request.json"));
        assertThat(SeldonJson.print(m)).isEqualTo("{\"data\":{\"ndarray\":[[1.0,2.0,3.0,4.0]]}}");
        SeldonMessage t = SeldonJson.parseMessage(resource("seed003-tensor-request.json"));
        assertThat(SeldonJson.print(t))
                .isEqualTo(
                        "{\"data\":{\"names\":[\"a\",\"b\"],\"tensor\":{\"shape\":[2,2],\"values\":[0.0,0.0,1.0,1.0]}}}");
    }

    @Test
    void binDataIsBase64AndJsonDataIsAnyJson() {
        SeldonMessage m = SeldonJson.parseMessage("{\"binData\":\"AAEC/w==\"}");
        assertThat(m.getBinData()).isEqualTo(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 255}));
        assertThat(SeldonJson.print(m)).isEqualTo("{\"binData\":\"AAEC/w==\"}");
        SeldonMessage j = SeldonJson.parseMessage("{\"jsonData\":{\"a\":[1,\"x\",true,null],\"b\":{\"c\":2.5}}}");
        assertThat(SeldonJson.print(j)).isEqualTo("{\"jsonData\":{\"a\":[1.0,\"x\",true,null],\"b\":{\"c\":2.5}}}");
        assertThat(SeldonJson.print(SeldonJson.parseMessage("{\"strData\":\"hello\"}")))
                .isEqualTo("{\"strData\":\"hello\"}");
    }

    @Test
    void failureStatusIsSeldonsErrorBody() {
        assertThat(SeldonJson.print(SeldonJson.failure(400, "MICROSERVICE_BAD_DATA", "bad")))
                .isEqualTo(
                        "{\"status\":{\"code\":400,\"info\":\"bad\",\"reason\":\"MICROSERVICE_BAD_DATA\",\"status\":\"FAILURE\"}}");
    }

    @Test
    void messageListsAreReadAsObjectOrBareArray() {
        SeldonMessageList a = SeldonJson.parseMessageList("[{\"strData\":\"a\"},{\"strData\":\"b\"}]");
        SeldonMessageList b =
                SeldonJson.parseMessageList("{\"seldonMessages\":[{\"strData\":\"a\"},{\"strData\":\"b\"}]}");
        assertThat(a).isEqualTo(b);
        assertThat(a.getSeldonMessagesCount()).isEqualTo(2);
    }

    @Test
    void feedbackReadsRequestResponseRewardAndTruth() {
        Feedback f = SeldonJson.parseFeedback(
                "{\"request\":{\"data\":{\"ndarray\":[[1]]}},\"response\":{\"meta\":{\"routing\":{\"r\":1}}},"
                        + "\"reward\":1,\"truth\":{\"data\":{\"ndarray\":[[0]]}}}");
        assertThat(f.getReward()).isEqualTo(1.0f);
        assertThat(f.getResponse().getMeta().getRoutingMap()).containsEntry("r", 1);
    }

    /** Field numbers are the wire interface: these bytes are what Seldon's clients send and expect. */
    @Test
    void protobufEncodingMatchesSeldonsFieldNumbers() {
        SeldonMessage tensor = SeldonMessage.newBuilder()
                .setData(DefaultData.newBuilder()
                        .addNames("a")
                        .addNames("b")
                        .setTensor(Tensor.newBuilder()
                                .addShape(2)
                                .addShape(2)
                                .addValues(0)
                                .addValues(0)
                                .addValues(1)
                                .addValues(1)))
                .build();
        assertThat(HexFormat.of().formatHex(tensor.toByteArray()))
                .isEqualTo("1a2e" + "0a0161" + "0a0162" + "1226" + "0a020202" + "1220" + "0000000000000000"
                        + "0000000000000000" + "000000000000f03f" + "000000000000f03f");
        SeldonMessage meta = SeldonMessage.newBuilder()
                .setStatus(Status.newBuilder().setCode(400).setReason("r").setStatus(Status.StatusFlag.FAILURE))
                .setMeta(Meta.newBuilder().setPuid("p").putRouting("r", 1).putRequestPath("c", "i"))
                .setStrData("s")
                .build();
        assertThat(HexFormat.of().formatHex(meta.toByteArray()))
                .isEqualTo("0a08" + "089003" + "1a0172" + "2001"
                        + "1212" + "0a0170" + "1a05" + "0a0172" + "1001" + "2206" + "0a0163" + "120169"
                        + "2a0173");
        Feedback reward = Feedback.newBuilder().setReward(1.0f).build();
        assertThat(HexFormat.of().formatHex(reward.toByteArray())).isEqualTo("1d0000803f");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"data\":{\"tensor\":{\"shape\":[2,2],\"values\":[0,1,\"x\",1]}}} | data.tensor.values[2]: expected a number, got \"x\"",
                "{\"data\":{\"tensor\":{\"shape\":[2,2],\"values\":[0,1,1]}}} | data.tensor: shape [2, 2] needs 4 values, got 3",
                "{\"data\":{\"tensor\":{\"shape\":[-1],\"values\":[]}}} | data.tensor.shape[0]: a dimension cannot be negative, got -1",
                "{\"data\":{\"ndarray\":{\"a\":1}}} | data.ndarray: expected an array, got an object",
                "{\"data\":{\"ndarray\":[[1]]},\"strData\":\"x\"} | strData: only one of data, binData, strData, jsonData, customData may be set (data is set too)",
                "{\"data\":{\"ndarray\":[[1]],\"tensor\":{}}} | data.tensor: only one of tensor, ndarray, tftensor may be set (ndarray is set too)",
                "{\"dat\":{}} | dat: unknown field (expected one of status, meta, data, binData, strData, jsonData, customData)",
                "{\"meta\":{\"routing\":{\"r\":\"x\"}}} | meta.routing.r: expected a 32-bit integer, got \"x\"",
                "{\"meta\":{\"puid\":7}} | meta.puid: expected a string, got 7",
                "{\"binData\":\"%%%\"} | binData: not base64: Illegal base64 character 25",
                "[1,2] | expected an object, got an array",
                "{\"data\":{\"names\":[\"a\",3]}} | data.names[1]: expected a string, got 3",
                "{\"meta\":{\"metrics\":[{\"key\":\"k\",\"type\":\"HISTOGRAM\"}]}} | meta.metrics[0].type: \"HISTOGRAM\" is not COUNTER, GAUGE or TIMER",
            })
    void malformedBodiesNameTheirPath(String body, String expected) {
        assertThatThrownBy(() -> SeldonJson.parseMessage(body))
                .isInstanceOf(SeldonJsonException.class)
                .hasMessage(expected.trim());
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        assertThatThrownBy(() -> SeldonJson.parseMessage("{\"data\": {\"ndarray\": [[1,2]]}"))
                .isInstanceOf(SeldonJsonException.class)
                .satisfies(e -> assertThat(((SeldonJsonException) e).path()).startsWith("line 1, column"));
        assertThatThrownBy(() -> SeldonJson.parseMessage("")).hasMessage("empty body: expected a JSON object");
        assertThatThrownBy(() -> SeldonJson.parseMessage("{\"a\":1,\"a\":2}")).isInstanceOf(SeldonJsonException.class);
        assertThatThrownBy(() -> SeldonJson.parseMessage("{} {}")).isInstanceOf(SeldonJsonException.class);
    }
}
