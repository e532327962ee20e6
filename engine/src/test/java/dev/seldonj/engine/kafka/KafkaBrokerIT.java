package dev.seldonj.engine.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The test broker itself: it starts quickly, carries records, and keeps them across a stop and restart. */
class KafkaBrokerIT {

    @Test
    void startsCarriesRecordsAndKeepsThemAcrossARestart() throws Exception {
        long start = System.nanoTime();
        try (KafkaBroker broker = KafkaBroker.start()) {
            long startedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(startedMs).as("broker start time, ms").isLessThan(30_000);
            broker.createTopic("smoke", 1);
            produce(broker, "one");
            broker.stop();
            broker.restart();
            produce(broker, "two");
            assertThat(consume(broker, 2)).containsExactly("one", "two");
        }
    }

    private static void produce(KafkaBroker broker, String value) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()),
                new StringSerializer(),
                new StringSerializer())) {
            p.send(new ProducerRecord<>("smoke", "k", value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consume(KafkaBroker broker, int n) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "smoke",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            c.subscribe(List.of("smoke"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
