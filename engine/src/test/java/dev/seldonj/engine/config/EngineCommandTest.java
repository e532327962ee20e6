package dev.seldonj.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags -> Micronaut properties -> {@link EngineSettings} -> {@link EngineConfig}, as the engine starts. */
class EngineCommandTest {

    private static Map<String, Object> flags(String... args) {
        EngineCommand c = new EngineCommand();
        new CommandLine(c).parseArgs(args);
        return c.properties();
    }

    private static EngineConfig parse(String... args) {
        return parse(Map.of(), args);
    }

    /** As the engine starts: the environment's properties, then the flags'. */
    private static EngineConfig parse(Map<String, String> env, String... args) {
        Map<String, Object> properties = new LinkedHashMap<>(EngineCommand.environmentProperties(env));
        properties.putAll(flags(args));
        try (ApplicationContext ctx = ApplicationContext.builder()
                .properties(properties)
                .environmentPropertySource(false)
                .build()
                .start()) {
            return ctx.getBean(EngineSettings.class).toConfig();
        }
    }

    @Test
    void payloadLoggerFlagsDefaultsAndEnvironment() {
        PayloadLoggerConfig d = parse().payloadLogger();
        assertThat(d).isEqualTo(EngineConfig.DEFAULTS.payloadLogger());
        assertThat(d.workers()).isEqualTo(10);
        assertThat(d.queueSize()).isEqualTo(10_000);
        assertThat(d.writeTimeoutMs()).isEqualTo(2_000);
        assertThat(d.hostname()).isEqualTo("localhost");
        assertThat(d.defaultEndpoint()).isEmpty();

        PayloadLoggerConfig c = parse(
                        Map.of("REQUEST_LOGGER_DEFAULT_ENDPOINT", "http://default-broker", "POD_NAME", "pod-1"),
                        "--logger_workers",
                        "3",
                        "--log_work_buffer_size",
                        "0",
                        "--log_write_timeout_ms",
                        "500",
                        "--log_work_buffer_bytes",
                        "4096")
                .payloadLogger();
        assertThat(c).isEqualTo(new PayloadLoggerConfig("http://default-broker", "pod-1", 3, 0, 500, 4096));
        assertThat(d.queueBytes())
                .as("a quarter of the heap")
                .isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        assertThat(parse(Map.of("POD_NAME", "pod-1"), "-hostname", "engine.local")
                        .payloadLogger()
                        .hostname())
                .as("--hostname wins over POD_NAME")
                .isEqualTo("engine.local");
    }

    private static KafkaConfig kafka(Map<String, String> env, String... args) {
        Map<String, Object> properties = new LinkedHashMap<>(EngineCommand.environmentProperties(env));
        properties.putAll(flags(args));
        try (ApplicationContext ctx = ApplicationContext.builder()
                .properties(properties)
                .environmentPropertySource(false)
                .build()
                .start()) {
            EngineSettings settings = ctx.getBean(EngineSettings.class);
            settings.toConfig();
            return settings.kafka();
        }
    }

    @Test
    void kafkaServerTypeTakesSeldonsFlagsAndVariables() {
        assertThat(kafka(Map.of())).isEqualTo(KafkaConfig.NONE);
        KafkaConfig fromEnv = kafka(
                Map.of(
                        "KAFKA_BROKER",
                        "kafka:9092",
                        "KAFKA_INPUT_TOPIC",
                        "in",
                        "KAFKA_OUTPUT_TOPIC",
                        "out",
                        "KAFKA_WORKERS",
                        "8",
                        "KAFKA_AUTO_COMMIT",
                        "f",
                        "KAFKA_FULL_GRAPH",
                        "0"),
                "--server_type",
                "kafka");
        assertThat(fromEnv.server()).isEqualTo(new KafkaConfig.Server("kafka:9092", "in", "out", 8, false, 15_000));
        assertThat(fromEnv.logger()).isNull();
        KafkaConfig flagsWin = kafka(
                Map.of("KAFKA_BROKER", "kafka:9092", "KAFKA_INPUT_TOPIC", "in", "KAFKA_OUTPUT_TOPIC", "out"),
                "--server_type",
                "kafka",
                "--kafka_broker",
                "other:9093",
                "--kafka_workers",
                "2",
                "--kafka_auto_commit=false");
        assertThat(flagsWin.server()).isEqualTo(new KafkaConfig.Server("other:9093", "in", "out", 2, false, 15_000));
        assertThat(kafka(
                                Map.of("KAFKA_BROKER", "b:1", "KAFKA_INPUT_TOPIC", "i", "KAFKA_OUTPUT_TOPIC", "o"),
                                "--server_type",
                                "kafka")
                        .server())
                .isEqualTo(new KafkaConfig.Server("b:1", "i", "o", 4, true, 15_000));
    }

    @Test
    void kafkaProblemsNameTheFlagAndTheVariable() {
        Map<String, String> topics = Map.of("KAFKA_BROKER", "b:1", "KAFKA_INPUT_TOPIC", "i", "KAFKA_OUTPUT_TOPIC", "o");
        assertThatThrownBy(
                        () -> parse("--server_type", "kafka", "--kafka_input_topic", "i", "--kafka_output_topic", "o"))
                .hasMessageContaining(
                        "--kafka_broker (engine.kafka-broker) (or KAFKA_BROKER) is required with --server_type kafka");
        assertThatThrownBy(() -> parse(withEnv(topics, "KAFKA_BROKER", "kafka"), "--server_type", "kafka"))
                .hasMessageContaining(
                        "--kafka_broker (engine.kafka-broker) (or KAFKA_BROKER) must be host:port[,host:port...], got 'kafka'");
        assertThatThrownBy(() -> parse(Map.of("LOGGER_KAFKA_BROKER", "k:1,k2:x")))
                .hasMessageContaining(
                        "--log_kafka_broker (engine.log-kafka-broker) (or LOGGER_KAFKA_BROKER) must be host:port");
        assertThatThrownBy(
                        () -> parse(Map.of("KAFKA_BROKER", "b:1", "KAFKA_INPUT_TOPIC", "i"), "--server_type", "kafka"))
                .hasMessageContaining("(or KAFKA_OUTPUT_TOPIC) is required");
        assertThatThrownBy(() -> parse(withEnv(topics, "KAFKA_WORKERS", "many"), "--server_type", "kafka"))
                .hasMessageContaining(
                        "--kafka_workers (engine.kafka-workers) (or KAFKA_WORKERS) must be a whole number, got 'many'");
        assertThatThrownBy(() -> parse(withEnv(topics, "KAFKA_WORKERS", "0"), "--server_type", "kafka"))
                .hasMessageContaining("--kafka_workers (engine.kafka-workers) must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> parse(withEnv(topics, "KAFKA_AUTO_COMMIT", "yes"), "--server_type", "kafka"))
                .hasMessageContaining("(or KAFKA_AUTO_COMMIT) must be true or false, got 'yes'");
        assertThatThrownBy(() -> parse(withEnv(topics, "KAFKA_FULL_GRAPH", "true"), "--server_type", "kafka"))
                .hasMessageContaining("--kafka_full_graph (engine.kafka-full-graph) (or KAFKA_FULL_GRAPH) is true, but "
                        + "seldonj-engine does not call graph nodes over Kafka topics");
        assertThatThrownBy(() -> parse(topics, "--server_type", "kafka", "--protocol", "v2"))
                .hasMessageContaining("--server_type (engine.server-type) kafka serves the seldon protocol");
        assertThatThrownBy(() -> parse(withEnv(topics, "KAFKA_SECURITY_PROTOCOL", "TLS"), "--server_type", "kafka"))
                .hasMessageContaining(
                        "KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got 'TLS'");
        assertThatThrownBy(() -> parse(
                        withEnv(topics, "KAFKA_SECURITY_PROTOCOL", "ssl", "KAFKA_SSL_CA_CERT_FILE", "/no/such/ca.pem"),
                        "--server_type",
                        "kafka"))
                .hasMessageContaining("KAFKA_SSL_CA_CERT_FILE '/no/such/ca.pem' cannot be read");
        assertThatThrownBy(() -> parse(
                        withEnv(topics, "KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_CLIENT_CERT", "pem"),
                        "--server_type",
                        "kafka"))
                .hasMessageContaining("KAFKA_SSL_CLIENT_CERT and KAFKA_SSL_CLIENT_KEY");
        assertThatThrownBy(
                        () -> parse(withEnv(topics, "KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), "--server_type", "kafka"))
                .hasMessageContaining("needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD");
    }

    @Test
    void kafkaPayloadLoggingAndSecurityFromSeldonsVariables() throws Exception {
        KafkaConfig logger = kafka(Map.of("LOGGER_KAFKA_BROKER", "kafka:9092"));
        assertThat(logger.logger()).isEqualTo(new KafkaConfig.Logger("kafka:9092", "seldon"));
        assertThat(logger.server()).isNull();
        assertThat(kafka(Map.of("LOGGER_KAFKA_BROKER", "kafka:9092", "LOGGER_KAFKA_TOPIC", "payloads"))
                        .logger())
                .isEqualTo(new KafkaConfig.Logger("kafka:9092", "payloads"));
        assertThat(kafka(Map.of(), "--log_kafka_broker", "k:1", "--log_kafka_topic", "t")
                        .logger())
                .isEqualTo(new KafkaConfig.Logger("k:1", "t"));
        assertThat(kafka(Map.of("LOGGER_KAFKA_BROKER", " ")))
                .as("blank broker: HTTP logging")
                .isEqualTo(KafkaConfig.NONE);

        Path ca = Files.createTempFile("ca", ".pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
        Map<String, String> ssl = kafka(Map.of(
                        "LOGGER_KAFKA_BROKER",
                        "k:1",
                        "KAFKA_SECURITY_PROTOCOL",
                        "ssl",
                        "KAFKA_SSL_CA_CERT_FILE",
                        ca.toString(),
                        "KAFKA_SSL_CLIENT_CERT",
                        "CERT",
                        "KAFKA_SSL_CLIENT_KEY",
                        "KEY",
                        "KAFKA_SSL_CLIENT_KEY_PASS",
                        "secret"))
                .security();
        assertThat(ssl)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry(
                        "ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----")
                .containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", "CERT")
                .containsEntry("ssl.keystore.key", "KEY")
                .containsEntry("ssl.key.password", "secret");
        Map<String, String> sasl = kafka(Map.of(
                        "LOGGER_KAFKA_BROKER",
                        "k:1",
                        "KAFKA_SECURITY_PROTOCOL",
                        "SASL_PLAINTEXT",
                        "KAFKA_SASL_MECHANISM",
                        "SCRAM-SHA-512",
                        "KAFKA_SASL_USERNAME",
                        "u",
                        "KAFKA_SASL_PASSWORD",
                        "p\"w"))
                .security();
        assertThat(sasl)
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\\\"w\";");
    }

    private static Map<String, String> withEnv(Map<String, String> base, String... more) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void payloadLoggerBoundsAreChecked() {
        assertThatThrownBy(() -> parse("--logger_workers", "0"))
                .hasMessageContaining("--logger_workers (engine.logger-workers) must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> parse("--log_work_buffer_size", "-1"))
                .hasMessageContaining("--log_work_buffer_size (engine.log-work-buffer-size) must be between 0 and");
        assertThatThrownBy(() -> parse("--log_work_buffer_bytes", "0"))
                .hasMessageContaining("--log_work_buffer_bytes (engine.log-work-buffer-bytes) must be between 1 and");
    }

    @Test
    void acceptsTheArgumentsSeldonsOperatorPasses() {
        EngineConfig c = parse(
                "--sdep",
                "iris",
                "--namespace",
                "models",
                "--predictor",
                "default",
                "--http_port",
                "8000",
                "--grpc_port",
                "5001",
                "--protocol",
                "seldon",
                "--transport",
                "grpc",
                "--prometheus_path",
                "/prometheus",
                "--server_type",
                "rpc",
                "--log_work_buffer_size",
                "10000",
                "--log_write_timeout_ms",
                "2000",
                "--full_health_checks=false");

        assertThat(c.deploymentName()).isEqualTo("iris");
        assertThat(c.namespace()).isEqualTo("models");
        assertThat(c.predictorName()).isEqualTo("default");
        assertThat(c.transport()).isEqualTo(Transport.GRPC);
        assertThat(c.protocol()).isEqualTo(Protocol.SELDON);
    }

    @Test
    void onlyTheFlagsGivenBecomeProperties() {
        assertThat(flags("-sdep", "x", "--http_port", "9000", "--file", "/tmp/m.yaml", "--dry_run"))
                .containsOnly(
                        Map.entry("engine.sdep", "x"),
                        Map.entry("engine.http-port", 9000),
                        Map.entry("engine.file", "/tmp/m.yaml"));
    }

    @Test
    void goStyleSingleDashFlagsAndDefaults() {
        EngineConfig c = parse("-sdep", "x", "-protocol", "kfserving");
        assertThat(c.isV2()).isTrue();
        assertThat(c.httpPort()).isEqualTo(8000);
        assertThat(c.grpcPort()).isEqualTo(5001);
        assertThat(c.prometheusPath()).isEqualTo("/prometheus");
        assertThat(c.maxBodyBytes()).isEqualTo(64 * 1024 * 1024);
    }

    @Test
    void tensorflowProtocolIsAccepted() {
        EngineConfig c = parse("--protocol", "tensorflow");
        assertThat(c.protocol()).isEqualTo(Protocol.TENSORFLOW);
        assertThat(c.isTensorflow()).isTrue();
        assertThat(c.isV2()).isFalse();
    }

    @Test
    void corsDefaultsToAnyOriginAndSeldonsHeadersAndTakesAList() {
        assertThat(CorsPolicy.of(null, null)).isEqualTo(CorsPolicy.DEFAULT);
        assertThat(CorsPolicy.DEFAULT.anyOrigin()).isTrue();
        EngineConfig c = parse(
                "--cors_allowed_origins",
                " https://a.example , https://b.example,",
                "--cors_allowed_headers",
                "X-One, X-Two");
        assertThat(c.cors().allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.cors().anyOrigin()).isFalse();
        assertThat(c.cors().allowedHeaders()).isEqualTo("X-One, X-Two");
        assertThat(CorsPolicy.of(null, " ").allowedHeaders()).isEqualTo(CorsPolicy.DEFAULT_ALLOWED_HEADERS);
    }

    @Test
    void unsupportedValuesNameTheFlagAndTheProperty() {
        assertThatThrownBy(() -> parse("--protocol", "grpc"))
                .hasMessageContaining(
                        "--protocol (engine.protocol) must be seldon, tensorflow, v2 or kfserving, got 'grpc'");
        assertThatThrownBy(() -> parse("--transport", "udp"))
                .hasMessageContaining("--transport (engine.transport) must be rest or grpc, got 'udp'");
        assertThatThrownBy(() -> parse("--server_type", "udp"))
                .hasMessageContaining("--server_type (engine.server-type) must be rpc or kafka, got 'udp'");
        assertThatThrownBy(() -> parse("--http_port", "70000"))
                .hasMessageContaining("--http_port (engine.http-port) must be between 0 and 65535");
        assertThatThrownBy(() -> parse("--http_port", "eighty"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--http_port");
        assertThatThrownBy(() -> parse("--nope")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }
}
