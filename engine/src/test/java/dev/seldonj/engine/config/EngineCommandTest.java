package dev.seldonj.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EngineCommandTest {

  private static EngineConfig parse(String... args) {
    EngineCommand c = new EngineCommand();
    new CommandLine(c).parseArgs(args);
    return c.toConfig();
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
  void unsupportedValuesNameTheFlag() {
    assertThatThrownBy(() -> parse("--protocol", "grpc")).hasMessageContaining("--protocol must be seldon, tensorflow, v2");
    assertThatThrownBy(() -> parse("--transport", "udp")).hasMessageContaining("--transport must be rest or grpc");
    assertThatThrownBy(() -> parse("--server_type", "kafka")).hasMessageContaining("--server_type kafka");
    assertThatThrownBy(() -> parse("--nope")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
  }
}
