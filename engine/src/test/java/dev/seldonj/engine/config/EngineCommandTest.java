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
    try (ApplicationContext ctx = ApplicationContext.builder().properties(flags(args))
        .environmentPropertySource(false).build().start()) {
      return ctx.getBean(EngineSettings.class).toConfig();
    }
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
