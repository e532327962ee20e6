package dev.seldonj.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PodAnnotationsTest {

    @Test
    void parsesTheDownwardApiFormatAndAppliesTheSeldonAnnotations() {
        PodAnnotations a = PodAnnotations.parse("""
        kubernetes.io/config.seen="2024-01-01T00:00:00Z"
        seldon.io/rest-timeout="1500"
        seldon.io/grpc-timeout="2500"
        seldon.io/grpc-max-message-size="10485760"
        note="line one\\nline \\"two\\""
        """);

        assertThat(a.values()).containsEntry("note", "line one\nline \"two\"");
        EngineConfig c = EngineConfig.DEFAULTS.withAnnotations(a);
        assertThat(c.restTimeoutMs()).isEqualTo(1500);
        assertThat(c.grpcTimeoutMs()).isEqualTo(2500);
        assertThat(c.grpcMaxMessageBytes()).isEqualTo(10485760);
        assertThat(c.maxBodyBytes()).isEqualTo(64 * 1024 * 1024);
    }

    @Test
    void podFileWinsOverTheManifestAndDefaultsApplyWhenAbsent() {
        PodAnnotations a = PodAnnotations.parse("seldon.io/rest-timeout=\"100\"\n")
                .withFallback(Map.of("seldon.io/rest-timeout", "999", "seldon.io/rest-form-encoded-nodes", "a, b"));

        EngineConfig c = EngineConfig.DEFAULTS.withAnnotations(a);
        assertThat(c.restTimeoutMs()).isEqualTo(100);
        assertThat(c.formEncoded("b")).isTrue();
        assertThat(c.formEncoded("c")).isFalse();
        assertThat(EngineConfig.DEFAULTS.withAnnotations(PodAnnotations.empty()).restTimeoutMs())
                .isEqualTo(60_000L);
    }

    @Test
    void loggerQueueAnnotationsOverrideTheFlagsAndAcceptSeldonsRanges() {
        EngineConfig flags = EngineConfig.DEFAULTS.withPayloadLogger(
                EngineConfig.DEFAULTS.payloadLogger().withQueue(500, 700));
        EngineConfig c = flags.withAnnotations(PodAnnotations.parse("""
        seldon.io/executor-logger-queue-size="0"
        seldon.io/executor-logger-write-timeout-ms="-1"
        """));

        assertThat(c.payloadLogger().queueSize()).isZero();
        assertThat(c.payloadLogger().writeTimeoutMs()).isEqualTo(-1);
        assertThat(c.payloadLogger().deliveryTimeoutMs())
                .as("<= 0: the default")
                .isEqualTo(2000);
        assertThat(flags.withAnnotations(PodAnnotations.empty()).payloadLogger().queueSize())
                .isEqualTo(500);
        assertThat(flags.withAnnotations(PodAnnotations.empty()).payloadLogger().deliveryTimeoutMs())
                .isEqualTo(700);
        assertThatThrownBy(() ->
                        flags.withAnnotations(PodAnnotations.parse("seldon.io/executor-logger-queue-size=\"-5\"")))
                .hasMessage(
                        "annotation seldon.io/executor-logger-queue-size must be an integer from 0 to 2147483647, got '-5'");
        assertThatThrownBy(() -> flags.withAnnotations(
                        PodAnnotations.parse("seldon.io/executor-logger-write-timeout-ms=\"2s\"")))
                .hasMessage("annotation seldon.io/executor-logger-write-timeout-ms must be an integer, got '2s'");
    }

    @Test
    void badValuesNameTheAnnotation() {
        assertThatThrownBy(() ->
                        EngineConfig.DEFAULTS.withAnnotations(PodAnnotations.parse("seldon.io/grpc-timeout=\"soon\"")))
                .hasMessage("annotation seldon.io/grpc-timeout must be a positive integer, got 'soon'");
    }
}
