package dev.seldonj.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import io.micronaut.context.ApplicationContext;
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
    Map<String, Object> properties = new java.util.LinkedHashMap<>(EngineCommand.environmentProperties(env));
    properties.putAll(flags(args));
    try (ApplicationContext ctx = ApplicationContext.builder().properties(properties)
        .environmentPropertySource(false).build().start()) {
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

    PayloadLoggerConfig c = parse(Map.of("REQUEST_LOGGER_DEFAULT_ENDPOINT", "http://default-broker", "POD_NAME", "pod-1"),
        "--logger_workers", "3", "--log_work_buffer_size", "0", "--log_write_timeout_ms", "500",
        "--log_work_buffer_bytes", "4096").payloadLogger();
    assertThat(c).isEqualTo(new PayloadLoggerConfig("http://default-broker", "pod-1", 3, 0, 500, 4096));
    assertThat(d.queueBytes()).as("a quarter of the heap").isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    assertThat(parse(Map.of("POD_NAME", "pod-1"), "-hostname", "engine.local").payloadLogger().hostname())
        .as("--hostname wins over POD_NAME").isEqualTo("engine.local");
  }

  @Test
  void kafkaPayloadLoggingIsRefusedNamingTheFlagOrVariable() {
    assertThatThrownBy(() -> parse("--log_kafka_broker", "kafka:9092"))
        .hasMessageContaining("--log_kafka_broker (engine.log-kafka-broker) (or LOGGER_KAFKA_BROKER) is set, but "
            + "seldonj-engine cannot log payloads to Kafka");
    assertThatThrownBy(() -> parse(Map.of("LOGGER_KAFKA_BROKER", "kafka:9092")))
        .hasMessageContaining("(or LOGGER_KAFKA_BROKER) is set, but seldonj-engine cannot log payloads to Kafka");
    assertThat(parse(Map.of("LOGGER_KAFKA_BROKER", " "), "--log_kafka_topic", "t").payloadLogger().workers())
        .as("blank broker: nothing to refuse").isEqualTo(10);
    assertThatThrownBy(() -> parse("--logger_workers", "0"))
        .hasMessageContaining("--logger_workers (engine.logger-workers) must be between 1 and 10000, got 0");
    assertThatThrownBy(() -> parse("--log_work_buffer_size", "-1"))
        .hasMessageContaining("--log_work_buffer_size (engine.log-work-buffer-size) must be between 0 and");
    assertThatThrownBy(() -> parse("--log_work_buffer_bytes", "0"))
        .hasMessageContaining("--log_work_buffer_bytes (engine.log-work-buffer-bytes) must be between 1 and");
  }

  @Test
  void acceptsTheArgumentsSeldonsOperatorPasses() {
    EngineConfig c = parse("--sdep", "iris", "--namespace", "models", "--predictor", "default", "--http_port", "8000",
        "--grpc_port", "5001", "--protocol", "seldon", "--transport", "grpc", "--prometheus_path", "/prometheus",
        "--server_type", "rpc", "--log_work_buffer_size", "10000", "--log_write_timeout_ms", "2000",
        "--full_health_checks=false");

    assertThat(c.deploymentName()).isEqualTo("iris");
    assertThat(c.namespace()).isEqualTo("models");
    assertThat(c.predictorName()).isEqualTo("default");
    assertThat(c.transport()).isEqualTo(Transport.GRPC);
    assertThat(c.protocol()).isEqualTo(Protocol.SELDON);
  }

  @Test
  void onlyTheFlagsGivenBecomeProperties() {
    assertThat(flags("-sdep", "x", "--http_port", "9000", "--file", "/tmp/m.yaml", "--dry_run")).containsOnly(
        Map.entry("engine.sdep", "x"), Map.entry("engine.http-port", 9000), Map.entry("engine.file", "/tmp/m.yaml"));
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
    EngineConfig c = parse("--cors_allowed_origins", " https://a.example , https://b.example,", "--cors_allowed_headers",
        "X-One, X-Two");
    assertThat(c.cors().allowedOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(c.cors().anyOrigin()).isFalse();
    assertThat(c.cors().allowedHeaders()).isEqualTo("X-One, X-Two");
    assertThat(CorsPolicy.of(null, " ").allowedHeaders()).isEqualTo(CorsPolicy.DEFAULT_ALLOWED_HEADERS);
  }

  @Test
  void unsupportedValuesNameTheFlagAndTheProperty() {
    assertThatThrownBy(() -> parse("--protocol", "grpc"))
        .hasMessageContaining("--protocol (engine.protocol) must be seldon, tensorflow, v2 or kfserving, got 'grpc'");
    assertThatThrownBy(() -> parse("--transport", "udp"))
        .hasMessageContaining("--transport (engine.transport) must be rest or grpc, got 'udp'");
    assertThatThrownBy(() -> parse("--server_type", "kafka")).hasMessageContaining("--server_type (engine.server-type) kafka");
    assertThatThrownBy(() -> parse("--http_port", "70000")).hasMessageContaining("--http_port (engine.http-port) must be between 0 and 65535");
    assertThatThrownBy(() -> parse("--http_port", "eighty")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--http_port");
    assertThatThrownBy(() -> parse("--nope")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
  }
}
