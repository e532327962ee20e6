package dev.seldonj.engine.kafka;

import dev.seldonj.engine.EngineApplication;
import dev.seldonj.engine.it.EngineFixture;
import dev.seldonj.engine.it.RestComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka throughput of {@code --server_type kafka} (`make bench-kafka`, not in CI): records/s through a one-model
 * graph, at least once (each answer acknowledged by the broker before its offset is committed). The input topic
 * is filled first; the clock runs from the first answer to the last, and the committed offset is checked at the
 * end. Graphs: the built-in SIMPLE_MODEL (no component hop: the Kafka path itself) and a REST model (the JDK
 * HTTP server echoing). Args: records (default 20000), then worker counts (default 4 16 64).
 */
public final class KafkaBench {

    private KafkaBench() {}

    public static void main(String[] args) throws Exception {
        // The JDK HTTP server (the REST model) otherwise answers small bodies after a 40 ms delayed ACK (Nagle).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<Integer> workers = args.length > 1
                ? Arrays.stream(args).skip(1).map(Integer::parseInt).toList()
                : List.of(1, 4, 16);
        System.out.printf(
                "kafka bench: %d records of ~60 bytes per run, %d CPUs, one broker (KRaft) on loopback%n",
                records, Runtime.getRuntime().availableProcessors());
        try (KafkaBroker broker = KafkaBroker.start();
                RestComponent model = new RestComponent("m").echoing("/predict")) {
            int run = 0;
            for (String graph : List.of("builtin", "rest")) {
                for (int w : workers) {
                    run++;
                    String in = "bench-in-" + run;
                    String out = "bench-out-" + run;
                    broker.createTopic(in, 1);
                    broker.createTopic(out, 1);
                    fill(broker, in, records);
                    String graphJson = graph.equals("builtin")
                            ? "{name: m, type: MODEL, implementation: SIMPLE_MODEL}"
                            : "{name: m, type: MODEL}";
                    EngineFixture.Spec spec = new EngineFixture.Spec(graphJson);
                    if (graph.equals("rest")) {
                        spec.rest(model);
                    }
                    Path file = Files.createTempFile("sdep", ".yaml");
                    Files.writeString(file, spec.yaml());
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
                            out,
                            "engine.kafka-workers",
                            Integer.toString(w)));
                    try (EngineApplication app = EngineApplication.start(p)) {
                        double[] result = drain(broker, out, records);
                        System.out.printf(
                                "graph %-8s workers %3d: %7.0f records/s (%d answers in %.2f s)%n",
                                graph, w, result[0], (long) result[1], result[2]);
                    }
                    try (KafkaClient client = new KafkaClient(broker)) {
                        long committed = client.committed("main.test-sdep.test-ns", in);
                        if (committed != records) {
                            System.out.printf("  committed offset %d, expected %d%n", committed, records);
                        }
                    }
                }
            }
        }
    }

    private static void fill(KafkaBroker broker, String topic, int records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(), ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(
                        topic,
                        ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("{\"data\":{\"names\":[\"a\",\"b\"],\"ndarray\":[[" + i + ",2.0]]}}")
                                .getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Reads the answers: records/s from the first to the last, how many, seconds. */
    private static double[] drain(KafkaBroker broker, String topic, int records) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "bench-reader-" + topic,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long first = 0;
            long last = 0;
            long seen = 0;
            long firstCount = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (seen < records && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = c.poll(Duration.ofMillis(100));
                if (!batch.isEmpty()) {
                    if (first == 0) {
                        first = System.nanoTime();
                        firstCount = batch.count();
                    }
                    seen += batch.count();
                    last = System.nanoTime();
                }
            }
            double seconds = (last - first) / 1e9;
            return new double[] {seconds > 0 ? (seen - firstCount) / seconds : 0, seen, seconds};
        }
    }
}
