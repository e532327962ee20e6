package dev.seldonj.engine.kafka;

import static dev.seldonj.engine.kafka.KafkaClient.header;
import static dev.seldonj.engine.kafka.KafkaClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.engine.EngineApplication;
import dev.seldonj.engine.it.EngineFixture;
import dev.seldonj.engine.it.Messages;
import dev.seldonj.engine.it.RestComponent;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.SeldonGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Payload logging to Kafka ({@code LOGGER_KAFKA_BROKER}) against a real broker: the payloads with the CloudEvent
 * attributes as headers; and a broker that goes away mid-run costs counted log events, never prediction time,
 * and logging resumes when it is back.
 */
class KafkaPayloadLoggingIT extends WithKafkaBroker {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static EngineApplication engine(RestComponent model, String topic) throws Exception {
        broker.createTopic(topic, 1);
        Path file = Files.createTempFile("sdep", ".yaml");
        Files.writeString(
                file,
                new EngineFixture.Spec("{name: m, type: MODEL, logger: {mode: all}}")
                        .rest(model)
                        .yaml());
        return EngineApplication.start(Map.of(
                "engine.file",
                file.toString(),
                "engine.http-port",
                0,
                "engine.grpc-port",
                0,
                "engine.log-kafka-broker",
                broker.bootstrap(),
                "engine.log-kafka-topic",
                topic,
                "engine.log-write-timeout-ms",
                3000L,
                "engine.log-work-buffer-size",
                20,
                "engine.hostname",
                "engine-pod"));
    }

    private HttpResponse<String> predict(EngineApplication app, String body, String puid) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/api/v1.0/predictions"))
                        .header("Content-Type", "application/json")
                        .header("Seldon-Puid", puid)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eventsCarryThePayloadAndTheCloudEventAttributesAsHeaders() throws Exception {
        try (RestComponent model = new RestComponent("m").echoing("/predict");
                EngineApplication app = engine(model, "log")) {
            for (int i = 0; i < 3; i++) {
                assertThat(predict(app, "{\"data\":{\"ndarray\":[" + i + "]}}", "puid-" + i)
                                .statusCode())
                        .isEqualTo(200);
            }
            List<ConsumerRecord<byte[], byte[]>> events = client.read("log", 6, WAIT);
            assertThat(events).hasSize(6);
            for (ConsumerRecord<byte[], byte[]> e : events) {
                String puid = header(e, "requestid");
                assertThat(puid).startsWith("puid-");
                assertThat(text(e.key())).isEqualTo(puid);
                String type = header(e, "type");
                assertThat(type).isIn("io.seldon.serving.inference.request", "io.seldon.serving.inference.response");
                assertThat(header(e, "ce_type")).isEqualTo(type);
                assertThat(header(e, "content-type")).isEqualTo("application/json");
                assertThat(header(e, "modelid")).isEqualTo("m");
                assertThat(header(e, "inferenceservicename")).isEqualTo("test-sdep");
                assertThat(header(e, "namespace")).isEqualTo("test-ns");
                assertThat(header(e, "endpoint")).isEqualTo("main");
                assertThat(header(e, "protocol")).isEqualTo("seldon");
                assertThat(header(e, "ce_specversion")).isEqualTo("1.0");
                assertThat(header(e, "ce_id")).isNotEmpty().isNotEqualTo(puid);
                assertThat(header(e, "ce_source")).isEqualTo("http://engine-pod:" + app.httpPort() + "/");
                assertThat(header(e, "ce_requestid")).isEqualTo(puid);
                assertThat(header(e, "ce_time")).isNotEmpty();
                int i = Integer.parseInt(puid.substring("puid-".length()));
                assertThat(Messages.parse(text(e.value())).at("/data/ndarray/0").asInt())
                        .isEqualTo(i);
            }
            assertThat(metric(app, "delivered")).isEqualTo(6);
        }
    }

    @Test
    void aGrpcClientsPayloadsAreLoggedAsProtobuf() throws Exception {
        try (RestComponent model = new RestComponent("m").echoing("/predict");
                EngineApplication app = engine(model, "log-pb")) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", app.grpcPort())
                    .usePlaintext()
                    .build();
            try {
                SeldonMessage answer = SeldonGrpc.newBlockingStub(channel)
                        .predict(SeldonMessage.newBuilder()
                                .setStrData("over grpc")
                                .build());
                assertThat(answer.getStrData()).isEqualTo("over grpc");
            } finally {
                channel.shutdownNow();
            }
            List<ConsumerRecord<byte[], byte[]>> events = client.read("log-pb", 2, WAIT);
            assertThat(events).hasSize(2).allSatisfy(e -> {
                assertThat(header(e, "content-type")).isEqualTo("application/protobuf");
                assertThat(SeldonMessage.parseFrom(e.value()).getStrData()).isEqualTo("over grpc");
            });
        }
    }

    @Test
    void aBrokerThatIsDownNeverSlowsPredictionsAndLoggingResumesWhenItIsBack() throws Exception {
        try (RestComponent model = new RestComponent("m").echoing("/predict");
                EngineApplication app = engine(model, "outage")) {
            List<Long> before = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long start = System.nanoTime();
                assertThat(predict(app, "{\"strData\":\"before\"}", "before-" + i)
                                .statusCode())
                        .isEqualTo(200);
                before.add((System.nanoTime() - start) / 1_000_000);
            }
            assertThat(client.read("outage", 100, WAIT)).hasSize(100);
            Collections.sort(before);

            broker.stop();
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = predict(app, "{\"strData\":\"during-" + i + "\"}", "during-" + i);
                millis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(Messages.parse(r.body()).at("/strData").asText()).isEqualTo("during-" + i);
            }
            Collections.sort(millis);
            System.out.printf(
                    "predictions with the broker up: median %d ms, max %d ms; down: median %d ms, p99 %d ms, "
                            + "max %d ms; log events dropped %d%n",
                    before.get(before.size() / 2),
                    before.get(before.size() - 1),
                    millis.get(millis.size() / 2),
                    millis.get(millis.size() * 99 / 100),
                    millis.get(millis.size() - 1),
                    metric(app, "dropped"));
            // A prediction waiting on the logger would take the delivery bound (3 s) or the producer's metadata wait.
            assertThat(millis.get(millis.size() / 2))
                    .as("median prediction ms with the broker down")
                    .isLessThan(before.get(before.size() / 2) + 50);
            assertThat(millis.get(millis.size() - 1))
                    .as("slowest prediction ms with the broker down")
                    .isLessThan(1_000);
            // 600 events against 10 in flight and 20 queued: most are dropped, and counted.
            assertThat(metric(app, "dropped")).isGreaterThan(0);

            broker.restart();
            // Events queued while the broker was down may be delivered (or dropped) first: keep predicting until an
            // event of a prediction made after the restart has reached the topic.
            long deadline = System.nanoTime() + 2 * WAIT.toNanos();
            int n = 0;
            boolean resumed = false;
            while (!resumed && System.nanoTime() < deadline) {
                assertThat(predict(app, "{\"strData\":\"after\"}", "after-" + n++)
                                .statusCode())
                        .isEqualTo(200);
                Thread.sleep(200);
                resumed = metric(app, "delivered") > 101
                        && client.read("outage", (int) metric(app, "delivered"), Duration.ofSeconds(2)).stream()
                                .anyMatch(e -> header(e, "requestid").startsWith("after-"));
            }
            assertThat(resumed)
                    .as("events of predictions made after the broker came back are delivered")
                    .isTrue();
            long events = 2L * (350 + n);
            long settle = System.nanoTime() + WAIT.toNanos();
            while (accounted(app) < events && System.nanoTime() < settle) {
                Thread.sleep(100);
            }
            assertThat(accounted(app))
                    .as("every event delivered, failed or dropped")
                    .isEqualTo(events);
        }
    }

    private long accounted(EngineApplication app) throws Exception {
        return metric(app, "failed") + metric(app, "dropped") + metric(app, "delivered");
    }

    /** The sum over types of the node's payload log events with this outcome. */
    private long metric(EngineApplication app, String outcome) throws Exception {
        String text = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("(?m)^seldon_api_executor_logger_events_total\\{[^}]*outcome=\"" + outcome
                        + "\"[^}]*} ([0-9.eE+]+)$")
                .matcher(text);
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
