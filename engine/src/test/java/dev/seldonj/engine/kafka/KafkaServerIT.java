package dev.seldonj.engine.kafka;

import static dev.seldonj.engine.kafka.KafkaClient.header;
import static dev.seldonj.engine.kafka.KafkaClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import dev.seldonj.engine.EngineApplication;
import dev.seldonj.engine.it.EngineFixture;
import dev.seldonj.engine.it.GrpcComponent;
import dev.seldonj.engine.it.Messages;
import dev.seldonj.engine.it.RestComponent;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code --server_type kafka} against a real broker: SeldonMessages in (JSON and protobuf), answers out with the
 * request's key and puid, failures as FAILURE messages, in-flight records bounded by {@code --kafka_workers},
 * offsets committed only after the answers (at least once across a restart), REST still served.
 */
class KafkaServerIT extends WithKafkaBroker {

    private static final String GROUP = "main.test-sdep.test-ns";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EngineApplication engine(RestComponent model, String in, String out, Map<String, Object> extra)
            throws Exception {
        broker.createTopic(in, 1);
        broker.createTopic(out, 1);
        Path file = Files.createTempFile("sdep", ".yaml");
        Files.writeString(
                file,
                new EngineFixture.Spec("{name: m, type: MODEL}").rest(model).yaml());
        Map<String, Object> p = new LinkedHashMap<>(Map.of(
                "engine.file",
                file.toString(),
                "engine.http-port",
                0,
                "engine.grpc-port",
                0,
                "engine.server-type",
                "kafka",
                "engine.kafka-broker",
                broker.bootstrap(),
                "engine.kafka-input-topic",
                in,
                "engine.kafka-output-topic",
                out));
        p.putAll(extra);
        return EngineApplication.start(p);
    }

    private static RestComponent echo() throws Exception {
        return new RestComponent("m").echoing("/predict");
    }

    @Test
    void jsonRecordsAreAnsweredWithTheirKeyAndPuidAndCommittedAfterwards() throws Exception {
        try (RestComponent model = echo();
                EngineApplication app = engine(model, "json-in", "json-out", Map.of())) {
            for (int i = 0; i < 20; i++) {
                client.send(
                        "json-in",
                        "key-" + i,
                        "{\"data\":{\"ndarray\":[" + i + "]}}",
                        "Seldon-Puid",
                        "puid-" + i,
                        "x-trace",
                        "t" + i);
            }
            List<ConsumerRecord<byte[], byte[]>> answers = client.read("json-out", 20, WAIT);
            assertThat(answers).hasSize(20);
            Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
            answers.forEach(r -> byKey.put(text(r.key()), r));
            for (int i = 0; i < 20; i++) {
                ConsumerRecord<byte[], byte[]> r = byKey.get("key-" + i);
                assertThat(r).as("answer to key-" + i).isNotNull();
                assertThat(header(r, "Seldon-Puid")).isEqualTo("puid-" + i);
                assertThat(header(r, "content-type")).isEqualTo("application/json");
                JsonNode body = Messages.parse(text(r.value()));
                assertThat(body.at("/data/ndarray/0").asInt()).isEqualTo(i);
                assertThat(body.at("/meta/puid").asText()).isEqualTo("puid-" + i);
                assertThat(body.at("/meta/tags/m").isMissingNode())
                        .as(body.toString())
                        .isFalse();
                assertThat(body.at("/meta/requestPath/m").asText()).isEqualTo("test/m:1.0");
            }
            // The record's headers reach the component, as HTTP request headers.
            assertThat(model.received("/predict"))
                    .anySatisfy(r -> assertThat(r.header("x-trace")).isEqualTo("t3"));
            awaitCommitted("json-in", 20);
            // REST is still served beside Kafka.
            HttpResponse<String> ready = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void protobufRecordsAreAnsweredInProtobuf() throws Exception {
        try (RestComponent model = echo();
                EngineApplication app = engine(model, "proto-in", "proto-out", Map.of())) {
            SeldonMessage request = SeldonMessage.newBuilder()
                    .setMeta(Meta.newBuilder().setPuid("p-1"))
                    .setData(DefaultData.newBuilder()
                            .setTensor(Tensor.newBuilder()
                                    .addShape(1)
                                    .addShape(2)
                                    .addValues(1.5)
                                    .addValues(2.5)))
                    .build();
            client.send("proto-in", "k1", request.toByteArray(), "proto-name", "seldon.protos.SeldonMessage");
            client.send(
                    "proto-in",
                    "k2",
                    request.toBuilder()
                            .setMeta(Meta.newBuilder().setPuid("p-2"))
                            .build()
                            .toByteArray(),
                    "content-type",
                    "application/protobuf");
            List<ConsumerRecord<byte[], byte[]>> answers = client.read("proto-out", 2, WAIT);
            assertThat(answers).hasSize(2);
            for (ConsumerRecord<byte[], byte[]> r : answers) {
                SeldonMessage answer = SeldonMessage.parseFrom(r.value());
                assertThat(header(r, "proto-name")).isEqualTo("seldon.protos.SeldonMessage");
                assertThat(answer.getData().getTensor().getValuesList()).containsExactly(1.5, 2.5);
                String expectedPuid = text(r.key()).equals("k1") ? "p-1" : "p-2";
                assertThat(answer.getMeta().getPuid()).isEqualTo(expectedPuid);
                assertThat(header(r, "Seldon-Puid")).isEqualTo(expectedPuid);
            }
        }
    }

    @Test
    void withTransportGrpcRecordsAreProtobufByDefaultAndNodesAreCalledOverGrpc() throws Exception {
        try (GrpcComponent model = new GrpcComponent("m").echoing("Predict")) {
            broker.createTopic("grpc-in", 1);
            broker.createTopic("grpc-out", 1);
            Path file = Files.createTempFile("sdep", ".yaml");
            Files.writeString(
                    file,
                    new EngineFixture.Spec("{name: m, type: MODEL, endpoint: {type: GRPC}}")
                            .grpc("m", model)
                            .yaml());
            try (EngineApplication app = EngineApplication.start(Map.of(
                    "engine.file",
                    file.toString(),
                    "engine.http-port",
                    0,
                    "engine.grpc-port",
                    0,
                    "engine.transport",
                    "grpc",
                    "engine.server-type",
                    "kafka",
                    "engine.kafka-broker",
                    broker.bootstrap(),
                    "engine.kafka-input-topic",
                    "grpc-in",
                    "engine.kafka-output-topic",
                    "grpc-out"))) {
                client.send(
                        "grpc-in",
                        "k",
                        SeldonMessage.newBuilder()
                                .setStrData("over grpc")
                                .build()
                                .toByteArray());
                client.send("grpc-in", "json", "{\"strData\":\"json still\"}", "content-type", "application/json");
                Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
                client.read("grpc-out", 2, WAIT).forEach(r -> byKey.put(text(r.key()), r));
                SeldonMessage answer = SeldonMessage.parseFrom(byKey.get("k").value());
                assertThat(answer.getStrData()).isEqualTo("over grpc");
                assertThat(answer.getMeta().getPuid())
                        .isEqualTo(header(byKey.get("k"), "Seldon-Puid"))
                        .isNotEmpty();
                assertThat(Messages.parse(text(byKey.get("json").value()))
                                .at("/strData")
                                .asText())
                        .isEqualTo("json still");
                assertThat(model.calls("Predict")).hasSize(2);
            }
        }
    }

    @Test
    void recordsThatCannotBeAnsweredGetAFailureMessageNamingWhy() throws Exception {
        try (RestComponent model = new RestComponent("m")) {
            model.on(
                    "/predict",
                    r -> r.body().contains("boom")
                            ? new RestComponent.Answer(
                                    500,
                                    "{\"status\":{\"code\":-1,\"info\":\"model blew up\",\"status\":\"FAILURE\"}}",
                                    "application/json")
                            : RestComponent.Answer.json(r.body()));
            try (EngineApplication app = engine(model, "bad-in", "bad-out", Map.of())) {
                client.send("bad-in", "not-json", "{\"data\": [1,");
                client.send("bad-in", "empty", new byte[0]);
                client.send(
                        "bad-in",
                        "bad-proto",
                        new byte[] {(byte) 0xff, 0x01, 0x02},
                        "content-type",
                        "application/protobuf");
                client.send("bad-in", "odd-type", "{}", "content-type", "text/plain");
                client.send("bad-in", "component", "{\"strData\":\"boom\"}", "Seldon-Puid", "failing-puid");
                client.send("bad-in", "good", "{\"strData\":\"fine\"}");
                Map<String, JsonNode> byKey = new HashMap<>();
                Map<String, ConsumerRecord<byte[], byte[]>> records = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : client.read("bad-out", 6, WAIT)) {
                    records.put(text(r.key()), r);
                    byKey.put(
                            text(r.key()),
                            r.headers().lastHeader("proto-name") != null
                                    ? Messages.parse(JsonFormat.printer().print(SeldonMessage.parseFrom(r.value())))
                                    : Messages.parse(text(r.value())));
                }
                assertThat(byKey).containsOnlyKeys("not-json", "empty", "bad-proto", "odd-type", "component", "good");
                assertFailure(byKey.get("not-json"), 400, "invalid request");
                assertFailure(byKey.get("empty"), 400, "the record has no value");
                assertFailure(byKey.get("bad-proto"), 400, "not a protobuf seldon.protos.SeldonMessage");
                assertFailure(byKey.get("odd-type"), 400, "content-type is 'text/plain'");
                assertFailure(byKey.get("component"), 500, "node 'm' answered HTTP 500");
                assertThat(byKey.get("component").at("/status/info").asText()).contains("model blew up");
                assertThat(byKey.get("component").at("/meta/puid").asText()).isEqualTo("failing-puid");
                assertThat(header(records.get("component"), "Seldon-Puid")).isEqualTo("failing-puid");
                assertThat(byKey.get("not-json").at("/meta/puid").asText()).isNotEmpty();
                assertThat(byKey.get("good").at("/strData").asText()).isEqualTo("fine");
                awaitCommitted("bad-in", 6);
            }
        }
    }

    private static void assertFailure(JsonNode message, int code, String info) {
        assertThat(message.at("/status/status").asText()).as(message.toString()).isEqualTo("FAILURE");
        assertThat(message.at("/status/code").asInt()).as(message.toString()).isEqualTo(code);
        assertThat(message.at("/status/info").asText()).as(message.toString()).contains(info);
    }

    @Test
    void recordsInFlightAreBoundedByTheWorkers() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (RestComponent model = new RestComponent("m")) {
            model.on("/predict", r -> {
                most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                concurrent.decrementAndGet();
                return RestComponent.Answer.json(r.body());
            });
            try (EngineApplication app = engine(model, "bound-in", "bound-out", Map.of("engine.kafka-workers", "2"))) {
                for (int i = 0; i < 8; i++) {
                    client.send("bound-in", "k" + i, "{\"strData\":\"" + i + "\"}");
                }
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (model.received().size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(500); // a third record would reach the component now if the bound leaked
                assertThat(model.received()).hasSize(2);
                assertThat(client.committed(GROUP, "bound-in")).isLessThanOrEqualTo(0);
                release.countDown();
                assertThat(client.read("bound-out", 8, WAIT)).hasSize(8);
                assertThat(most.get()).isEqualTo(2);
                awaitCommitted("bound-in", 8);
            }
        }
    }

    @Test
    void offsetsAreCommittedInOrderOnlyAfterAnswersSoARestartAnswersWhatWasInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RestComponent model = new RestComponent("m")) {
            model.on("/predict", r -> {
                if (r.body().contains("slow")) {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return RestComponent.Answer.json(r.body());
            });
            Map<String, Object> settings = Map.of(
                    "engine.kafka-workers",
                    "4",
                    "engine.kafka-auto-commit",
                    "false",
                    "engine.kafka-drain-timeout-ms",
                    300L);
            try (EngineApplication app = engine(model, "alo-in", "alo-out", settings)) {
                client.send("alo-in", "k0", "{\"strData\":\"fast-0\"}");
                client.send("alo-in", "k1", "{\"strData\":\"slow-1\"}");
                client.send("alo-in", "k2", "{\"strData\":\"fast-2\"}");
                // k0 and k2 are answered, k1 hangs: the commit may only cover k0.
                List<ConsumerRecord<byte[], byte[]>> first = client.read("alo-out", 2, WAIT);
                assertThat(first).extracting(r -> text(r.key())).containsExactlyInAnyOrder("k0", "k2");
                awaitCommitted("alo-in", 1);
                Thread.sleep(300);
                assertThat(client.committed(GROUP, "alo-in")).isEqualTo(1);
            } // closed with k1 still in flight: its offset is not committed
            assertThat(client.committed(GROUP, "alo-in")).isEqualTo(1);
            release.countDown();
            try (EngineApplication again = engineOn(model, "alo-in", "alo-out")) {
                // The restarted engine reads from the commit: k1 and k2 again (at least once), not k0.
                List<ConsumerRecord<byte[], byte[]>> all = client.read("alo-out", 4, WAIT);
                assertThat(all).extracting(r -> text(r.key())).containsExactlyInAnyOrder("k0", "k2", "k1", "k2");
                awaitCommitted("alo-in", 3);
            }
        }
    }

    @Test
    void shutdownFinishesTheRecordsInFlightAndCommitsThem() throws Exception {
        try (RestComponent model = new RestComponent("m")) {
            model.on("/predict", r -> {
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return RestComponent.Answer.json(r.body());
            });
            EngineApplication app = engine(model, "drain-in", "drain-out", Map.of());
            try {
                for (int i = 0; i < 4; i++) {
                    client.send("drain-in", "k" + i, "{\"strData\":\"" + i + "\"}");
                }
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (model.received().size() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(model.received()).hasSize(4);
            } finally {
                app.close(); // while the four are still in the model
            }
            assertThat(client.read("drain-out", 4, WAIT)).hasSize(4);
            assertThat(client.committed(GROUP, "drain-in")).isEqualTo(4);
        }
    }

    /** An engine on existing topics. */
    private static EngineApplication engineOn(RestComponent model, String in, String out) throws Exception {
        Path file = Files.createTempFile("sdep", ".yaml");
        Files.writeString(
                file,
                new EngineFixture.Spec("{name: m, type: MODEL}").rest(model).yaml());
        return EngineApplication.start(Map.of(
                "engine.file",
                file.toString(),
                "engine.http-port",
                0,
                "engine.grpc-port",
                0,
                "engine.server-type",
                "kafka",
                "engine.kafka-broker",
                broker.bootstrap(),
                "engine.kafka-input-topic",
                in,
                "engine.kafka-output-topic",
                out));
    }

    private static void awaitCommitted(String topic, long offset) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (client.committed(GROUP, topic) < offset && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(client.committed(GROUP, topic)).isEqualTo(offset);
    }

    @Test
    void startUpRefusesAMissingTopicOrFullGraph() throws Exception {
        try (RestComponent model = echo()) {
            Path file = Files.createTempFile("sdep", ".yaml");
            Files.writeString(
                    file,
                    new EngineFixture.Spec("{name: m, type: MODEL}").rest(model).yaml());
            Map<String, Object> base = Map.of(
                    "engine.file",
                    file.toString(),
                    "engine.http-port",
                    0,
                    "engine.grpc-port",
                    0,
                    "engine.server-type",
                    "kafka",
                    "engine.kafka-broker",
                    broker.bootstrap());
            assertThatThrownBy(() -> EngineApplication.start(base))
                    .hasMessageContaining(
                            "--kafka_input_topic (engine.kafka-input-topic) (or KAFKA_INPUT_TOPIC) is required");
        }
    }
}
