package dev.seldonj.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EngineCommandTest {

  private static EngineConfig parse(String... args) {
    return parse(Map.of(), args);
  }

  private static EngineConfig parse(Map<String, String> env, String... args) {
    EngineCommand c = new EngineCommand();
    new CommandLine(c).parseArgs(args);
    return c.toConfig(env);
  }

  @Test
  void payloadLoggerFlagsDefaultsAndEnvironment() {
    PayloadLoggerConfig d = parse().payloadLogger();
    assertThat(d).isEqualTo(PayloadLoggerConfig.DEFAULTS);
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
        .hasMessageStartingWith("--log_kafka_broker is set, but seldonj-engine cannot log payloads to Kafka");
    assertThatThrownBy(() -> parse(Map.of("LOGGER_KAFKA_BROKER", "kafka:9092")))
        .hasMessageStartingWith("LOGGER_KAFKA_BROKER is set, but seldonj-engine cannot log payloads to Kafka");
    assertThat(parse(Map.of("LOGGER_KAFKA_BROKER", " "), "--log_kafka_topic", "t").payloadLogger().workers())
        .as("blank broker: nothing to refuse").isEqualTo(10);
    assertThatThrownBy(() -> parse("--logger_workers", "0")).hasMessage("--logger_workers must be at least 1, got 0");
    assertThatThrownBy(() -> parse("--log_work_buffer_size", "-1"))
        .hasMessage("--log_work_buffer_size must be at least 0, got -1");
    assertThatThrownBy(() -> parse("--log_work_buffer_bytes", "0"))
        .hasMessage("--log_work_buffer_bytes must be at least 1, got 0");
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
  void goStyleSingleDashFlagsAndDefaults() {
    EngineConfig c = parse("-sdep", "x", "-protocol", "kfserving");
    assertThat(c.isV2()).isTrue();
    assertThat(c.httpPort()).isEqualTo(8000);
    assertThat(c.grpcPort()).isEqualTo(5001);
    assertThat(c.prometheusPath()).isEqualTo("/prometheus");
  }

  @Test
  void unsupportedValuesNameTheFlag() {
    assertThatThrownBy(() -> parse("--protocol", "tensorflow")).hasMessageContaining("--protocol tensorflow");
    assertThatThrownBy(() -> parse("--transport", "udp")).hasMessageContaining("--transport must be rest or grpc");
    assertThatThrownBy(() -> parse("--server_type", "kafka")).hasMessageContaining("--server_type kafka");
    assertThatThrownBy(() -> parse("--nope")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
  }
}
