package dev.seldonj.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.engine.tracing.TracingConfig;
import io.micronaut.context.ApplicationContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How TRACING, JAEGER_* and OTEL_* map onto the tracer's configuration, as the engine's command line reads them. */
class TracingSettingsTest {

    private static TracingConfig fromEnv(Map<String, String> env, String... flags) {
        EngineCommand command = new EngineCommand();
        new picocli.CommandLine(command).parseArgs(flags);
        Map<String, Object> props = new LinkedHashMap<>(EngineCommand.environmentProperties(env));
        props.putAll(command.properties());
        try (ApplicationContext ctx = ApplicationContext.builder()
                .properties(props)
                .environmentPropertySource(false)
                .deduceEnvironment(false)
                .start()) {
            return ctx.getBean(TracingSettings.class).toConfig();
        }
    }

    @Test
    void offByDefaultAndSeldonsServiceName() {
        TracingConfig c = fromEnv(Map.of());
        assertThat(c.enabled()).isFalse();
        assertThat(c.serviceName()).isEqualTo("executor");
        assertThat(c.endpoint()).hasToString("http://localhost:4318/v1/traces");
        assertThat(c.propagation().names()).containsExactly("tracecontext", "jaeger");
        assertThat(c.sampler().name()).isEqualTo("parentbased_always_on");
    }

    @Test
    void tracingEnvOrFlag() {
        assertThat(fromEnv(Map.of("TRACING", "1")).enabled()).isTrue();
        assertThat(fromEnv(Map.of("TRACING", "true")).enabled()).isTrue();
        assertThat(fromEnv(Map.of(), "--tracing").enabled()).isTrue();
        assertThat(fromEnv(Map.of("TRACING", "1"), "--tracing=false").enabled()).isFalse();
        // As Seldon's executor: its Jaeger variables alone turn tracing on; TRACING=0 still turns it off.
        assertThat(fromEnv(Map.of("JAEGER_AGENT_HOST", "jaeger")).enabled()).isTrue();
        assertThat(fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318"))
                        .enabled())
                .isTrue();
        assertThat(fromEnv(Map.of("JAEGER_AGENT_HOST", "jaeger", "TRACING", "0"))
                        .enabled())
                .isFalse();
        assertThat(fromEnv(Map.of("JAEGER_SERVICE_NAME", "svc")).enabled()).isFalse();
        assertThatThrownBy(() -> fromEnv(Map.of("TRACING", "maybe")))
                .hasMessage("TRACING (engine.tracing.enabled) 'maybe' must be true or false (1 or 0)");
    }

    @Test
    void jaegerEnvironmentMapsOntoOtlp() {
        TracingConfig c = fromEnv(Map.of(
                "TRACING",
                "1",
                "JAEGER_AGENT_HOST",
                "jaeger-agent.tracing",
                "JAEGER_AGENT_PORT",
                "6831",
                "JAEGER_SERVICE_NAME",
                "my-executor",
                "JAEGER_SAMPLER_TYPE",
                "const",
                "JAEGER_SAMPLER_PARAM",
                "1",
                "JAEGER_TRACE_PROPAGATION_TYPE",
                "b3"));
        assertThat(c.endpoint()).hasToString("http://jaeger-agent.tracing:4318/v1/traces");
        assertThat(c.serviceName()).isEqualTo("my-executor");
        assertThat(c.sampler().name()).isEqualTo("jaeger const 1");
        assertThat(c.propagation().names()).containsExactly("tracecontext", "b3multi");
        assertThat(fromEnv(Map.of("JAEGER_ENDPOINT", "http://collector:14268/api/traces"))
                        .endpoint())
                .hasToString("http://collector:4318/v1/traces");
        assertThat(fromEnv(Map.of("JAEGER_SAMPLER_TYPE", "probabilistic", "JAEGER_SAMPLER_PARAM", "0.25"))
                        .sampler()
                        .name())
                .isEqualTo("jaeger probabilistic 0.25");
        assertThat(fromEnv(Map.of("JAEGER_SAMPLER_TYPE", "ratelimiting", "JAEGER_SAMPLER_PARAM", "5"))
                        .sampler()
                        .name())
                .isEqualTo("jaeger ratelimiting 5.0");
    }

    @Test
    void otelEnvironmentWins() {
        TracingConfig c = fromEnv(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://otel:4318",
                "JAEGER_AGENT_HOST",
                "agent",
                "OTEL_SERVICE_NAME",
                "svc",
                "JAEGER_SERVICE_NAME",
                "jaeger-svc",
                "OTEL_TRACES_SAMPLER",
                "traceidratio",
                "OTEL_TRACES_SAMPLER_ARG",
                "0.5",
                "OTEL_PROPAGATORS",
                "tracecontext,b3"));
        assertThat(c.endpoint()).hasToString("http://otel:4318/v1/traces");
        assertThat(c.serviceName()).isEqualTo("svc");
        assertThat(c.sampler().name()).isEqualTo("traceidratio 0.5");
        assertThat(c.propagation().names()).containsExactly("tracecontext", "b3");
        assertThat(fromEnv(Map.of(
                                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                                "https://x:1/custom",
                                "OTEL_EXPORTER_OTLP_ENDPOINT",
                                "http://otel:4318/"))
                        .endpoint())
                .hasToString("https://x:1/custom");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> fromEnv(Map.of("JAEGER_TRACE_PROPAGATION_TYPE", "zipkin")))
                .hasMessageContaining("JAEGER_TRACE_PROPAGATION_TYPE 'zipkin' must be jaeger, b3 or w3c");
        assertThatThrownBy(
                        () -> fromEnv(Map.of("JAEGER_SAMPLER_PARAM", "lots", "JAEGER_SAMPLER_TYPE", "probabilistic")))
                .hasMessageContaining("JAEGER_SAMPLER_PARAM 'lots' is not a number");
        assertThatThrownBy(() -> fromEnv(Map.of("OTEL_TRACES_SAMPLER_ARG", "2", "OTEL_TRACES_SAMPLER", "traceidratio")))
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
                .hasMessageContaining(
                        "OTEL_EXPORTER_OTLP_ENDPOINT (engine.tracing.otlp-endpoint) 'collector:4318/v1/traces'");
        assertThatThrownBy(() -> fromEnv(Map.of("TRACING", "1", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .hasMessageContaining("only http/protobuf is supported");
        assertThatThrownBy(() -> fromEnv(Map.of("JAEGER_AGENT_PORT", "99999")))
                .hasMessageContaining(
                        "JAEGER_AGENT_PORT (engine.tracing.jaeger-agent-port) '99999' must be between 1 and 65535");
        assertThatThrownBy(() -> fromEnv(Map.of("OTEL_PROPAGATORS", "xray")))
                .hasMessageContaining("unknown propagator 'xray'");
    }
}
