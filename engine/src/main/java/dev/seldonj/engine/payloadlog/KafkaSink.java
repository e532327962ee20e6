package dev.seldonj.engine.payloadlog;

import dev.seldonj.engine.config.KafkaClients;
import dev.seldonj.engine.config.KafkaConfig;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Payload log events to a Kafka topic ({@code LOGGER_KAFKA_BROKER}, {@code LOGGER_KAFKA_TOPIC}), as Seldon's
 * executor sends them: the payload as the record's value, the event's attributes as headers under Seldon's
 * names ({@code type}, {@code content-type}, {@code modelid}, {@code requestid}, {@code inferenceservicename},
 * {@code namespace}, {@code endpoint}, {@code protocol}), and also every attribute under the CloudEvents Kafka
 * binding's names ({@code ce_id}, {@code ce_type}, ...), so CloudEvents SDKs read the record as a binary-mode
 * event. The key is the request's puid: one request's events stay in order on one partition.
 *
 * <p>The producer never holds up the logger's event loop for longer than the delivery bound, and the dispatcher
 * keeps at most {@code --logger_workers} events in flight, so a broker that is down costs failed (counted) log
 * events and, once the queue is full, dropped ones; predictions never wait on it.
 */
final class KafkaSink implements Sink, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final URI uri;
    private final long timeoutMs;

    KafkaSink(KafkaConfig.Logger logger, Map<String, String> security, long deliveryTimeoutMs) {
        this.topic = logger.topic();
        this.uri = URI.create("kafka://" + logger.broker().split(",")[0] + "/" + topic);
        this.timeoutMs = deliveryTimeoutMs;
        Map<String, Object> p = KafkaClients.common(logger.broker(), security, "seldonj-payload-log");
        // At most once, as the HTTP logger: no idempotence (it would stall on a restarted broker), one ack.
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Each bound is the delivery's: waiting for metadata or buffer space, the request, the whole delivery.
        int bound = (int) Math.min(Integer.MAX_VALUE, deliveryTimeoutMs);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) bound);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, bound);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, bound);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public void deliver(LogEvent e, CloudEvent.Origin origin, EventLoop loop, Consumer<String> done) {
        try {
            CloudEvent event = CloudEvent.binary(e, origin);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    topic, null, e.requestId().getBytes(StandardCharsets.UTF_8), event.body(), headers(event));
            producer.send(record, (metadata, error) -> {
                String failure = error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage();
                try {
                    loop.execute(() -> done.accept(failure));
                } catch (RejectedExecutionException closing) {
                    // the engine is stopping: the logger's loop is gone, and so are its counters' readers
                }
            });
        } catch (RuntimeException bad) {
            // Metadata or buffer space not there within the bound (broker down), a record too large, the producer
            // closed.
            done.accept(bad.getClass().getSimpleName() + ": " + bad.getMessage());
        }
    }

    /** Seldon's header names, then the CloudEvents Kafka binding's ({@code ce-x} as {@code ce_x}). */
    static List<Header> headers(CloudEvent event) {
        List<Header> seldon = new ArrayList<>(12);
        List<Header> binding = new ArrayList<>(12);
        for (Map.Entry<String, String> h : event.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            byte[] value = h.getValue().getBytes(StandardCharsets.UTF_8);
            if (name.equals("content-type")) {
                seldon.add(new RecordHeader("content-type", value));
                continue;
            }
            String attribute = name.substring("ce-".length());
            binding.add(new RecordHeader("ce_" + attribute, value));
            switch (attribute) {
                case "type", "modelid", "requestid", "inferenceservicename", "namespace", "endpoint", "protocol" ->
                    seldon.add(new RecordHeader(attribute, value));
                default -> {}
            }
        }
        seldon.addAll(binding);
        return seldon;
    }

    @Override
    public void close() {
        producer.close(Duration.ofMillis(Math.min(timeoutMs, 2_000)));
    }
}
