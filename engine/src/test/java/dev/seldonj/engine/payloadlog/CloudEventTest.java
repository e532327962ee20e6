package dev.seldonj.engine.payloadlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.metrics.EngineMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventTest {

    private static final CloudEvent.Origin ORIGIN =
            new CloudEvent.Origin(CloudEvent.Origin.sourceUrl("pod-1", 8000), "iris", "models", "default", "seldon");
    private static final EngineMetrics.LoggerCounters COUNTERS =
            new EngineMetrics("iris", "default", "").logger("m", LogType.labels());
    private static final byte[] JSON = "{\"data\":{\"ndarray\":[[1,2]]}}".getBytes(StandardCharsets.UTF_8);

    private static CloudEvent event(LogType type, LogPayload payload) {
        URI uri = URI.create("http://sink:8080/log");
        return CloudEvent.binary(
                new LogEvent(
                        new HttpSink(uri, Sink.requestTarget(uri), Sink.hostHeader(uri), null),
                        type,
                        "id-1",
                        Instant.parse("2026-01-02T03:04:05.123Z"),
                        "m",
                        "puid-1",
                        payload,
                        payload.size(),
                        COUNTERS),
                ORIGIN);
    }

    @Test
    void binaryModeCarriesSeldonsAttributesAsHeaders() {
        CloudEvent e = event(LogType.RESPONSE, LogPayload.of(Message.request(JSON), false));

        assertThat(e.target()).isEqualTo(URI.create("http://sink:8080/log"));
        assertThat(e.headers())
                .containsExactly(
                        Map.entry("ce-specversion", "1.0"),
                        Map.entry("ce-id", "id-1"),
                        Map.entry("ce-source", "http://pod-1:8000/"),
                        Map.entry("ce-type", "io.seldon.serving.inference.response"),
                        Map.entry("ce-time", "2026-01-02T03:04:05.123Z"),
                        Map.entry("ce-modelid", "m"),
                        Map.entry("ce-requestid", "puid-1"),
                        Map.entry("ce-inferenceservicename", "iris"),
                        Map.entry("ce-namespace", "models"),
                        Map.entry("ce-endpoint", "default"),
                        Map.entry("ce-protocol", "seldon"),
                        Map.entry("Content-Type", "application/json"));
        assertThat(e.body())
                .as("copied at capture: the message's buffer may be pooled")
                .isEqualTo(JSON)
                .isNotSameAs(JSON);
    }

    @Test
    void capturedJsonOutlivesThePooledBufferItCameIn() {
        ByteBuf pooled =
                PooledByteBufAllocator.DEFAULT.directBuffer(JSON.length).writeBytes(JSON);
        LogPayload payload = LogPayload.of(Message.request(pooled), false);
        pooled.release(); // as after the request's answer is written, before the event is delivered

        assertThat(payload.body().bytes()).isEqualTo(JSON);
        assertThat(payload.size()).isEqualTo(JSON.length);
    }

    @Test
    void sinkRequestTargetAndHostHeader() {
        URI full = URI.create("http://broker.ns:8080/a/b?x=1");
        assertThat(Sink.requestTarget(full)).isEqualTo("/a/b?x=1");
        assertThat(Sink.hostHeader(full)).isEqualTo("broker.ns:8080");
        URI bare = URI.create("http://default-broker");
        assertThat(Sink.requestTarget(bare)).isEqualTo("/");
        assertThat(Sink.hostHeader(bare)).isEqualTo("default-broker");
    }

    @Test
    void typesAreSeldons() {
        assertThat(List.of(LogType.values()))
                .extracting(t -> t.ceType)
                .containsExactly(
                        "io.seldon.serving.inference.request",
                        "io.seldon.serving.inference.response",
                        "io.seldon.serving.feedback");
    }

    @Test
    void protobufClientsGetProtobufBodiesConvertedFromJsonWhenNeeded() throws Exception {
        SeldonMessage proto = SeldonMessage.newBuilder()
                .setData(DefaultData.newBuilder()
                        .setTensor(Tensor.newBuilder().addShape(1).addValues(4)))
                .build();

        CloudEvent held = event(LogType.REQUEST, LogPayload.of(Message.of(proto), true));
        assertThat(SeldonMessage.parseFrom(held.body())).isEqualTo(proto);
        assertThat(held.headers()).contains(Map.entry("Content-Type", "application/protobuf"));

        CloudEvent converted = event(LogType.REQUEST, LogPayload.of(Message.request(JSON), true));
        assertThat(SeldonMessage.parseFrom(converted.body())
                        .getData()
                        .getNdarray()
                        .getValues(0)
                        .getListValue()
                        .getValues(1)
                        .getNumberValue())
                .isEqualTo(2.0);

        CloudEvent restClient = event(LogType.REQUEST, LogPayload.of(Message.of(proto), false));
        assertThat(new String(restClient.body(), StandardCharsets.UTF_8)).contains("\"values\":[4.0]");
        assertThat(restClient.headers()).contains(Map.entry("Content-Type", "application/json"));
    }

    @Test
    void aJsonAnswerThatIsNoSeldonMessageIsLoggedAsJsonRatherThanLost() {
        byte[] odd = "{\"data\":{\"ndarray\":[[1]]},\"unknownField\":1}".getBytes(StandardCharsets.UTF_8);

        CloudEvent e = event(LogType.RESPONSE, LogPayload.of(Message.response(odd, "m"), true));

        assertThat(e.body()).isEqualTo(odd);
        assertThat(e.headers()).contains(Map.entry("Content-Type", "application/json"));
    }

    @Test
    void feedbackIsLoggedAsTheClientSentIt() throws Exception {
        byte[] json = "{\"reward\":1.0,\"response\":{\"meta\":{\"puid\":\"p\"}}}".getBytes(StandardCharsets.UTF_8);
        CloudEvent rest = event(LogType.FEEDBACK, LogPayload.of(FeedbackMessage.request(json), false));
        assertThat(rest.body()).isSameAs(json);
        assertThat(rest.headers()).contains(Map.entry("ce-type", "io.seldon.serving.feedback"));

        Feedback proto = Feedback.newBuilder().setReward(0.5f).build();
        CloudEvent grpc = event(LogType.FEEDBACK, LogPayload.of(FeedbackMessage.of(proto), true));
        assertThat(Feedback.parseFrom(grpc.body())).isEqualTo(proto);
    }
}
