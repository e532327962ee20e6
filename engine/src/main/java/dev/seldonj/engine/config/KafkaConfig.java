package dev.seldonj.engine.config;

import java.util.Map;

/**
 * Kafka, resolved from {@link EngineSettings}: the Kafka server type (records in, answers out) and payload
 * logging to a topic, each null when not configured, and the client security settings both use.
 *
 * @param server {@code --server_type kafka}: the topics and the in-flight bound; null for {@code rpc}
 * @param logger payload logging to Kafka ({@code LOGGER_KAFKA_BROKER}); null when events go over HTTP
 * @param security client properties from {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SSL_*} and
 *     {@code KAFKA_SASL_*} (Seldon's variables), empty for plaintext
 */
public record KafkaConfig(Server server, Logger logger, Map<String, String> security) {

    /** Neither the Kafka server type nor Kafka payload logging. */
    public static final KafkaConfig NONE = new KafkaConfig(null, null, Map.of());

    /**
     * @param broker bootstrap servers ({@code --kafka_broker}, env {@code KAFKA_BROKER})
     * @param inputTopic requests ({@code --kafka_input_topic}, env {@code KAFKA_INPUT_TOPIC})
     * @param outputTopic answers ({@code --kafka_output_topic}, env {@code KAFKA_OUTPUT_TOPIC})
     * @param workers records in flight at once ({@code --kafka_workers}, env {@code KAFKA_WORKERS})
     * @param autoCommit commit in the background as answers are acknowledged ({@code true}), or synchronously after
     *     each acknowledged answer ({@code false}); {@code --kafka_auto_commit}, env {@code KAFKA_AUTO_COMMIT}
     * @param drainTimeoutMs at shutdown, how long in-flight records may take to be answered and committed
     */
    public record Server(
            String broker,
            String inputTopic,
            String outputTopic,
            int workers,
            boolean autoCommit,
            long drainTimeoutMs) {}

    /**
     * @param broker bootstrap servers ({@code --log_kafka_broker}, env {@code LOGGER_KAFKA_BROKER})
     * @param topic the topic events go to ({@code --log_kafka_topic}, env {@code LOGGER_KAFKA_TOPIC}); default
     *     {@code seldon}, as Seldon's
     */
    public record Logger(String broker, String topic) {}
}
