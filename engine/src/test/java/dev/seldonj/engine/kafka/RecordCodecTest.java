package dev.seldonj.engine.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.engine.core.EngineException;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Status.StatusFlag;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Reading requests from records and writing failure messages. */
class RecordCodecTest {

    private static ConsumerRecord<byte[], byte[]> record(byte[] value, String... headers) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(
                "in",
                0,
                7,
                0L,
                TimestampType.CREATE_TIME,
                0,
                value == null ? 0 : value.length,
                "k".getBytes(StandardCharsets.UTF_8),
                value,
                h,
                Optional.empty());
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theWireFollowsTheTransportUnlessTheRecordSays() {
        RecordCodec rest = new RecordCodec(false);
        RecordCodec grpc = new RecordCodec(true);
        assertThat(rest.isProtobuf(record(null).headers())).isFalse();
        assertThat(grpc.isProtobuf(record(null).headers())).isTrue();
        assertThat(grpc.isProtobuf(record(null, "content-type", "application/json; charset=utf-8")
                        .headers()))
                .isFalse();
        assertThat(rest.isProtobuf(
                        record(null, "Content-Type", "application/x-protobuf").headers()))
                .isTrue();
        assertThat(rest.isProtobuf(record(null, "proto-name", "seldon.protos.SeldonMessage")
                        .headers()))
                .isTrue();
        assertThatThrownBy(() -> rest.isProtobuf(record(null, "proto-name", "tensorflow.serving.PredictRequest")
                        .headers()))
                .hasMessageContaining(
                        "header proto-name is 'tensorflow.serving.PredictRequest': only seldon.protos.SeldonMessage");
        assertThatThrownBy(() ->
                        rest.isProtobuf(record(null, "content-type", "text/csv").headers()))
                .hasMessageContaining("header content-type is 'text/csv'");
    }

    @Test
    void thePuidComesFromTheHeaderThenTheMetaThenIsNew() {
        RecordCodec rest = new RecordCodec(false);
        assertThat(rest.decode(record(json("{\"meta\":{\"puid\":\"m1\"},\"strData\":\"x\"}"), "Seldon-Puid", "h1"))
                        .puid())
                .isEqualTo("h1");
        assertThat(rest.decode(record(json("{\"meta\":{\"puid\":\"m1\"},\"strData\":\"x\"}")))
                        .puid())
                .isEqualTo("m1");
        assertThat(rest.decode(record(json("{\"strData\":\"x\"}"))).puid()).hasSize(36);
        byte[] proto = SeldonMessage.newBuilder()
                .setMeta(Meta.newBuilder().setPuid("p1"))
                .setStrData("x")
                .build()
                .toByteArray();
        assertThat(new RecordCodec(true).decode(record(proto)).puid()).isEqualTo("p1");
    }

    @Test
    void headersThatCannotBeHttpHeadersAreNotPassedOn() {
        RecordCodec.Decoded d = new RecordCodec(false)
                .decode(record(
                        json("{\"strData\":\"x\"}"),
                        "x-trace",
                        "t1",
                        "bad name",
                        "v",
                        "x-evil",
                        "a\r\nb",
                        "content-type",
                        "application/json",
                        "Seldon-Puid",
                        "p"));
        assertThat(d.headers()).extracting(Map.Entry::getKey).containsExactly("x-trace");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> new RecordCodec(false).decode(record(null)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("the record has no value");
        assertThatThrownBy(() -> new RecordCodec(false).decode(record(json("[1,2]"))))
                .hasMessageContaining("invalid request");
        assertThatThrownBy(() -> new RecordCodec(true).decode(record(new byte[] {(byte) 0xff, 0x01})))
                .hasMessageContaining("not a protobuf seldon.protos.SeldonMessage");
    }

    @Test
    void failuresAreSeldonStatusMessagesWithThePuid() throws Exception {
        EngineException e = EngineException.badRequest("invalid request: data: expected an object");
        JsonNode json = new ObjectMapper().readTree(RecordCodec.failure(e, "p-9", false));
        assertThat(json.at("/status/status").asText()).isEqualTo("FAILURE");
        assertThat(json.at("/status/code").asInt()).isEqualTo(400);
        assertThat(json.at("/status/reason").asText()).isEqualTo("ENGINE_INVALID_JSON");
        assertThat(json.at("/status/info").asText()).isEqualTo("invalid request: data: expected an object");
        assertThat(json.at("/meta/puid").asText()).isEqualTo("p-9");
        SeldonMessage proto = SeldonMessage.parseFrom(RecordCodec.failure(e, "p-9", true));
        assertThat(proto.getStatus().getStatus()).isEqualTo(StatusFlag.FAILURE);
        assertThat(proto.getStatus().getCode()).isEqualTo(400);
        assertThat(proto.getMeta().getPuid()).isEqualTo("p-9");
    }
}
