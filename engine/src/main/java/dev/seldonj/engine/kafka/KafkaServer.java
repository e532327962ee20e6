package dev.seldonj.engine.kafka;

import dev.seldonj.engine.config.KafkaClients;
import dev.seldonj.engine.config.KafkaConfig;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.RateLimitedWarning;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.plan.GraphReadiness;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --server_type kafka}: consumes SeldonMessages from the input topic, runs each through the graph, and
 * produces the answer (or a FAILURE message naming what went wrong) to the output topic with the request's key.
 *
 * <p>At least once: a record's offset is committed only after its answer is acknowledged by the broker, in
 * offset order per partition ({@link PartitionProgress}); a crash re-delivers what may not have been answered.
 * At most {@code --kafka_workers} records run through the graph at once, and answers awaiting the broker's
 * acknowledgement are pipelined within a further bound; beyond either the partitions are paused while the
 * consumer keeps polling (so it stays in its group).
 *
 * <p>One thread owns the consumer and the producer's sends: the graph runs on the engine's event loops, whose
 * completions and the producer's acknowledgements come back through a queue (waking the consumer up), so an
 * event loop never waits on the broker.
 */
public final class KafkaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long ASYNC_COMMIT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Work handed back to the consumer's thread. */
    private sealed interface Event permits Answered, Acked {}

    /**
     * A record's answer (or failure message) to produce; {@code fromGraph} when the graph just finished with the
     * record (rather than a failure message replacing an answer the broker refused).
     */
    private record Answered(Taken taken, byte[] value, boolean failure, boolean fromGraph) implements Event {}

    /** The broker acknowledged (error null) or refused an answer. */
    private record Acked(Answered answer, Exception error) implements Event {}

    /** A record in flight, with the progress object of its partition when it was taken. */
    private record Taken(
            ConsumerRecord<byte[], byte[]> record,
            PartitionProgress progress,
            String puid,
            boolean protobuf,
            long startNanos) {}

    private final KafkaConfig.Server config;
    private final String groupId;
    private final Predictions predictions;
    private final GraphReadiness readiness;
    private final EventLoopGroup loops;
    private final EngineMetrics metrics;
    private final RecordCodec codec;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final RateLimitedWarning produceWarning =
            new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS, System::nanoTime);
    private final RateLimitedWarning failureWarning =
            new RateLimitedWarning(LOG, 10, TimeUnit.SECONDS, System::nanoTime);
    private volatile boolean closing;
    private volatile boolean polling;
    // Confined to the consumer's thread.
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    /** Records taken and not yet acknowledged: at most {@link #maxInFlight}. */
    private int inFlight;
    /** Records in the graph: at most {@code --kafka_workers}. */
    private int running;

    private final int maxInFlight;
    private boolean paused;
    private long lastCommitNanos;
    private long answered;

    private KafkaServer(
            KafkaConfig.Server config,
            Map<String, String> security,
            String groupId,
            Predictions predictions,
            GraphReadiness readiness,
            EventLoopGroup loops,
            EngineMetrics metrics,
            boolean protobufByDefault) {
        this.config = config;
        this.groupId = groupId;
        this.predictions = predictions;
        this.readiness = readiness;
        this.loops = loops;
        this.metrics = metrics;
        this.codec = new RecordCodec(protobufByDefault);
        // Answers waiting for the broker's acknowledgement are pipelined beyond the workers, within a bound.
        this.maxInFlight = config.workers() + Math.max(256, 16 * config.workers());
        Map<String, Object> c = KafkaClients.common(config.broker(), security, "seldonj-engine-" + groupId);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Offsets are committed here, after the answers: never by the client in the background.
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(config.workers(), 100));
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = KafkaClients.common(config.broker(), security, "seldonj-engine-" + groupId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        // Waiting for metadata or buffer space happens on the consumer's thread only: bounded well inside the
        // consumer's poll interval.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000L);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "kafka-server");
    }

    /**
     * Starts consuming once every graph node is ready (as Seldon's executor waits).
     *
     * @param groupId Seldon's consumer group, {@code <predictor>.<deployment>.<namespace>}
     * @param protobufByDefault {@code --transport grpc}: records that do not say otherwise are protobuf
     */
    public static KafkaServer start(
            KafkaConfig.Server config,
            Map<String, String> security,
            String groupId,
            Predictions predictions,
            GraphReadiness readiness,
            EventLoopGroup loops,
            EngineMetrics metrics,
            boolean protobufByDefault) {
        KafkaServer server =
                new KafkaServer(config, security, groupId, predictions, readiness, loops, metrics, protobufByDefault);
        server.thread.start();
        LOG.info(
                "kafka server: consuming {} as group {} from {}, answering to {}, {} records in flight at most, "
                        + "commits {}",
                config.inputTopic(),
                groupId,
                config.broker(),
                config.outputTopic(),
                config.workers(),
                config.autoCommit() ? "in the background" : "synchronously");
        return server;
    }

    private void run() {
        try {
            if (awaitGraph()) {
                consumer.subscribe(List.of(config.inputTopic()), new Rebalance());
                while (!closing) {
                    handleEvents();
                    dispatch();
                    commit(!config.autoCommit());
                    pauseOrResume();
                    poll();
                }
                drain();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("kafka server stopped: {}", e.toString(), e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("kafka server: closing the consumer: {}", e.toString());
            }
            producer.close(Duration.ofSeconds(5));
            LOG.info("kafka server stopped after answering {} records", answered);
            stopped.countDown();
        }
    }

    /** Waits for every node to accept connections; false when closed first. */
    private boolean awaitGraph() {
        long lastLog = 0;
        while (!closing) {
            List<String> notReady;
            try {
                notReady = readiness.check().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                notReady = List.of(e.toString());
            }
            if (notReady.isEmpty()) {
                return true;
            }
            if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                LOG.info("kafka server: waiting for the graph before consuming: {}", notReady);
                lastLog = System.nanoTime();
            }
            sleep(500);
        }
        return false;
    }

    private void poll() {
        polling = true;
        try {
            if (!events.isEmpty()) {
                return; // work arrived since the events were handled: no waiting
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                pending.addLast(r);
            }
        } catch (WakeupException e) {
            // an answer or an acknowledgement arrived
        } finally {
            polling = false;
        }
    }

    /** Hands work to the consumer's thread and wakes it if it is waiting in poll. */
    private void post(Event e) {
        events.add(e);
        if (polling) {
            consumer.wakeup();
        }
    }

    private void dispatch() {
        while (running < config.workers() && inFlight < maxInFlight && !pending.isEmpty()) {
            take(pending.pollFirst());
        }
    }

    private void pauseOrResume() {
        boolean full = !pending.isEmpty() || running >= config.workers() || inFlight >= maxInFlight;
        if (full && !paused) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (!full && paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    /** Starts one record through the graph; a record that cannot be read is answered with a failure at once. */
    private void take(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionProgress p = progress.computeIfAbsent(tp, k -> new PartitionProgress());
        p.started(record.offset());
        inFlight++;
        running++;
        long start = System.nanoTime();
        RecordCodec.Decoded decoded;
        try {
            decoded = codec.decode(record);
        } catch (EngineException e) {
            boolean protobuf;
            try {
                protobuf = codec.isProtobuf(record.headers());
            } catch (EngineException unreadableHeaders) {
                protobuf = false;
            }
            Taken taken = new Taken(record, p, RecordCodec.puidOf(record), protobuf, start);
            failed(taken, e);
            return;
        }
        Taken taken = new Taken(record, p, decoded.puid(), decoded.protobuf(), start);
        predictions.predict(
                decoded.message(), decoded.puid(), decoded.headers(), loops.next(), new Predictions.Completion() {
                    @Override
                    public void succeeded(Message out, RequestContext ctx) {
                        // On an event loop: the bytes are made here (the message's buffers are released on return).
                        post(new Answered(taken, RecordCodec.answer(out, ctx, taken.protobuf()), false, true));
                    }

                    @Override
                    public void failed(Throwable error) {
                        KafkaServer.this.failed(taken, EngineException.of(error));
                    }
                });
    }

    private void failed(Taken taken, EngineException e) {
        failureWarning.warn(() -> "kafka server: record " + taken.record().topic() + "-"
                + taken.record().partition() + "@" + taken.record().offset() + " answered with a failure: "
                + e.getMessage());
        post(new Answered(taken, RecordCodec.failure(e, taken.puid(), taken.protobuf()), true, true));
        metrics.server("predictions", "KAFKA", e.httpStatus(), taken.startNanos());
    }

    private void handleEvents() {
        Event e;
        while ((e = events.poll()) != null) {
            if (e instanceof Answered a) {
                if (a.fromGraph()) {
                    running--;
                }
                produce(a);
            } else if (e instanceof Acked ack) {
                acked(ack);
            }
        }
    }

    private void produce(Answered a) {
        ConsumerRecord<byte[], byte[]> in = a.taken().record();
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(
                config.outputTopic(),
                null,
                in.key(),
                a.value(),
                RecordCodec.answerHeaders(a.taken().puid(), a.taken().protobuf()));
        try {
            producer.send(out, (metadata, error) -> post(new Acked(a, error)));
        } catch (RuntimeException error) {
            // Metadata or buffer space not there in time (the broker is away), or a record the producer refuses.
            acked(new Acked(a, error));
        }
    }

    private void acked(Acked ack) {
        Taken taken = ack.answer().taken();
        ConsumerRecord<byte[], byte[]> in = taken.record();
        if (ack.error() == null) {
            inFlight--;
            answered++;
            taken.progress().done(in.offset());
            if (!ack.answer().failure()) {
                metrics.server("predictions", "KAFKA", 200, taken.startNanos());
            }
            return;
        }
        String where = in.topic() + "-" + in.partition() + "@" + in.offset();
        if (!ack.answer().failure() && !(ack.error() instanceof RetriableException)) {
            // The broker will never take this answer (too large, say): the failure message says so instead.
            produce(new Answered(
                    taken,
                    RecordCodec.failure(
                            new EngineException(
                                    EngineException.Kind.INTERNAL,
                                    "the answer could not be produced to " + config.outputTopic() + ": "
                                            + ack.error().getMessage()),
                            taken.puid(),
                            taken.protobuf()),
                    true,
                    false));
            return;
        }
        // The answer is not out: read the partition again from the first record not answered (at least once).
        inFlight--;
        produceWarning.warn(() -> "kafka server: the answer to " + where + " could not be produced (" + ack.error()
                + "); reading " + in.topic() + "-" + in.partition() + " again from there");
        rewind(new TopicPartition(in.topic(), in.partition()), taken.progress(), in.offset());
    }

    private void rewind(TopicPartition tp, PartitionProgress p, long failedOffset) {
        if (progress.get(tp) != p) {
            return; // already rewound, or no longer assigned
        }
        long from = p.firstUnanswered() >= 0 ? Math.min(p.firstUnanswered(), failedOffset) : failedOffset;
        progress.put(tp, new PartitionProgress());
        pending.removeIf(r -> r.partition() == tp.partition() && r.topic().equals(tp.topic()));
        if (consumer.assignment().contains(tp)) {
            consumer.seek(tp, from);
        }
        sleep(200); // a broker that is away is not asked again at once
    }

    /** Commits the partitions whose answered prefix grew; synchronously, or in the background at most every 100 ms. */
    private void commit(boolean sync) {
        if (!sync && System.nanoTime() - lastCommitNanos < ASYNC_COMMIT_INTERVAL_NS) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((tp, p) -> {
            long o = p.toCommit();
            if (o >= 0) {
                offsets.put(tp, new OffsetAndMetadata(o));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        lastCommitNanos = System.nanoTime();
        if (sync) {
            commitSync(offsets);
        } else {
            consumer.commitAsync(offsets, (done, error) -> {
                if (error != null) {
                    produceWarning.warn(
                            () -> "kafka server: commit failed (" + error + "); the records will be answered "
                                    + "again if the engine restarts before the next commit");
                }
            });
            offsets.forEach((tp, o) -> progress.get(tp).committed(o.offset()));
        }
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
                offsets.forEach((tp, o) -> {
                    PartitionProgress p = progress.get(tp);
                    if (p != null) {
                        p.committed(o.offset());
                    }
                });
                return;
            } catch (WakeupException e) {
                // an event arrived while committing: commit again
            } catch (RuntimeException e) {
                produceWarning.warn(() -> "kafka server: commit failed: " + e);
                return;
            }
        }
    }

    /** Stops taking records, lets those in flight be answered and acknowledged, and commits them. */
    private void drain() {
        pending.clear(); // taken from the broker but not started: not committed, so read again next time
        if (!consumer.assignment().isEmpty()) {
            consumer.pause(consumer.assignment());
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMs());
        while (inFlight > 0 && System.nanoTime() < deadline) {
            handleEvents();
            if (inFlight > 0) {
                poll();
            }
        }
        handleEvents();
        if (inFlight > 0) {
            LOG.warn(
                    "kafka server: {} records still in flight after {} ms; they will be read again",
                    inFlight,
                    config.drainTimeoutMs());
        }
        commit(true);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops consuming: records in flight are answered and committed (within the drain timeout), then the clients close. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            if (!stopped.await(config.drainTimeoutMs() + 15_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("kafka server did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits what is answered before partitions go to another consumer; forgets them. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                PartitionProgress p = progress.remove(tp);
                if (p != null && p.toCommit() >= 0) {
                    offsets.put(tp, new OffsetAndMetadata(p.toCommit()));
                }
                pending.removeIf(
                        r -> r.partition() == tp.partition() && r.topic().equals(tp.topic()));
            }
            if (!offsets.isEmpty()) {
                try {
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    LOG.warn("kafka server: commit on rebalance failed: {}", e.toString());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                progress.put(tp, new PartitionProgress());
            }
            paused = false; // newly assigned partitions start resumed; the loop pauses them again when full
        }
    }
}
