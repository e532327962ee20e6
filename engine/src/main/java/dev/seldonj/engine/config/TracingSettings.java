package dev.seldonj.engine.config;

import dev.seldonj.engine.tracing.Propagation;
import dev.seldonj.engine.tracing.SamplerSpec;
import dev.seldonj.engine.tracing.TracingConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * Tracing settings under {@code engine.tracing.*}, with their defaults, and how the Jaeger-era environment of
 * Seldon's executor ({@code JAEGER_*}) and OpenTelemetry's ({@code OTEL_*}) map onto one OTLP exporter; the
 * {@code OTEL_*} value wins where both name the same thing. {@link #ENVIRONMENT} lists each variable and the
 * property it sets; {@link #toConfig()} checks and resolves them. See docs/tracing.md.
 */
@ConfigurationProperties("engine.tracing")
public class TracingSettings {

    /** Environment variable, property it sets (read once at start-up; a flag given overrides it). */
    public static final Map<String, String> ENVIRONMENT = Map.ofEntries(
            Map.entry("TRACING", "engine.tracing.enabled"),
            Map.entry("OTEL_SERVICE_NAME", "engine.tracing.service-name"),
            Map.entry("JAEGER_SERVICE_NAME", "engine.tracing.jaeger-service-name"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "engine.tracing.otlp-traces-endpoint"),
            Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "engine.tracing.otlp-endpoint"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "engine.tracing.otlp-traces-protocol"),
            Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "engine.tracing.otlp-protocol"),
            Map.entry("JAEGER_ENDPOINT", "engine.tracing.jaeger-endpoint"),
            Map.entry("JAEGER_AGENT_HOST", "engine.tracing.jaeger-agent-host"),
            Map.entry("JAEGER_AGENT_PORT", "engine.tracing.jaeger-agent-port"),
            Map.entry("OTEL_TRACES_SAMPLER", "engine.tracing.sampler"),
            Map.entry("OTEL_TRACES_SAMPLER_ARG", "engine.tracing.sampler-arg"),
            Map.entry("JAEGER_SAMPLER_TYPE", "engine.tracing.jaeger-sampler-type"),
            Map.entry("JAEGER_SAMPLER_PARAM", "engine.tracing.jaeger-sampler-param"),
            Map.entry("JAEGER_TRACE_PROPAGATION_TYPE", "engine.tracing.jaeger-propagation"),
            Map.entry("OTEL_PROPAGATORS", "engine.tracing.propagators"),
            Map.entry("OTEL_BSP_SCHEDULE_DELAY", "engine.tracing.export-delay-ms"),
            Map.entry("OTEL_EXPORTER_OTLP_TIMEOUT", "engine.tracing.export-timeout-ms"));

    /** Seldon's executor reports as {@code executor} when {@code JAEGER_SERVICE_NAME} is not set. */
    public static final String DEFAULT_SERVICE_NAME = "executor";
    /** OTLP over HTTP's default port, on the Jaeger agent's host when only that is given. */
    static final int OTLP_HTTP_PORT = 4318;

    private String enabled;
    private String serviceName;
    private String jaegerServiceName;
    private String otlpTracesEndpoint;
    private String otlpEndpoint;
    private String otlpTracesProtocol;
    private String otlpProtocol;
    private String jaegerEndpoint;
    private String jaegerAgentHost;
    private String jaegerAgentPort;
    private String sampler;
    private String samplerArg;
    private String jaegerSamplerType;
    private String jaegerSamplerParam;
    private String jaegerPropagation;
    private String propagators;
    private String exportDelayMs = "1000";
    private String exportTimeoutMs = "10000";

    /**
     * Trace requests (flag {@code --tracing}, env {@code TRACING}: 1/true/yes, or 0/false). Unset, tracing is on when a
     * destination is given ({@code JAEGER_AGENT_HOST}, {@code JAEGER_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_ENDPOINT} or
     * {@code _TRACES_ENDPOINT}), as Seldon's executor traced whenever its Jaeger variables were set; else off, and
     * then no tracing work is done at all.
     */
    public void setEnabled(@Nullable String enabled) {
        this.enabled = enabled;
    }

    /** {@code OTEL_SERVICE_NAME}; wins over {@code JAEGER_SERVICE_NAME}. Default {@code executor}. */
    public void setServiceName(@Nullable String serviceName) {
        this.serviceName = serviceName;
    }

    public void setJaegerServiceName(@Nullable String jaegerServiceName) {
        this.jaegerServiceName = jaegerServiceName;
    }

    /** {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}: the full URL spans are posted to. */
    public void setOtlpTracesEndpoint(@Nullable String otlpTracesEndpoint) {
        this.otlpTracesEndpoint = otlpTracesEndpoint;
    }

    /** {@code OTEL_EXPORTER_OTLP_ENDPOINT}: base URL, {@code /v1/traces} is appended. Default http://localhost:4318. */
    public void setOtlpEndpoint(@Nullable String otlpEndpoint) {
        this.otlpEndpoint = otlpEndpoint;
    }

    public void setOtlpTracesProtocol(@Nullable String otlpTracesProtocol) {
        this.otlpTracesProtocol = otlpTracesProtocol;
    }

    /** {@code OTEL_EXPORTER_OTLP_PROTOCOL}: only {@code http/protobuf} (Jaeger and the collector take it on 4318). */
    public void setOtlpProtocol(@Nullable String otlpProtocol) {
        this.otlpProtocol = otlpProtocol;
    }

    /** {@code JAEGER_ENDPOINT} (a Jaeger collector's Thrift URL): its host, with OTLP/HTTP's port 4318. */
    public void setJaegerEndpoint(@Nullable String jaegerEndpoint) {
        this.jaegerEndpoint = jaegerEndpoint;
    }

    /** {@code JAEGER_AGENT_HOST}: spans go to OTLP/HTTP on this host, port 4318. */
    public void setJaegerAgentHost(@Nullable String jaegerAgentHost) {
        this.jaegerAgentHost = jaegerAgentHost;
    }

    /** {@code JAEGER_AGENT_PORT}: the agent's UDP Thrift port; OTLP does not use it (checked, then ignored). */
    public void setJaegerAgentPort(@Nullable String jaegerAgentPort) {
        this.jaegerAgentPort = jaegerAgentPort;
    }

    /** {@code OTEL_TRACES_SAMPLER}: always_on, always_off, traceidratio or their parentbased_ forms. */
    public void setSampler(@Nullable String sampler) {
        this.sampler = sampler;
    }

    public void setSamplerArg(@Nullable String samplerArg) {
        this.samplerArg = samplerArg;
    }

    /** {@code JAEGER_SAMPLER_TYPE}: const, probabilistic, ratelimiting or remote (as probabilistic). */
    public void setJaegerSamplerType(@Nullable String jaegerSamplerType) {
        this.jaegerSamplerType = jaegerSamplerType;
    }

    public void setJaegerSamplerParam(@Nullable String jaegerSamplerParam) {
        this.jaegerSamplerParam = jaegerSamplerParam;
    }

    /** {@code JAEGER_TRACE_PROPAGATION_TYPE}: jaeger (default), b3 or w3c; traceparent is always sent. */
    public void setJaegerPropagation(@Nullable String jaegerPropagation) {
        this.jaegerPropagation = jaegerPropagation;
    }

    /** {@code OTEL_PROPAGATORS}: tracecontext, baggage, b3, b3multi, jaeger (comma-separated); wins when set. */
    public void setPropagators(@Nullable String propagators) {
        this.propagators = propagators;
    }

    /** {@code OTEL_BSP_SCHEDULE_DELAY}: ms between span exports. Default 1000. */
    public void setExportDelayMs(String exportDelayMs) {
        this.exportDelayMs = exportDelayMs;
    }

    /** {@code OTEL_EXPORTER_OTLP_TIMEOUT}: ms one export may take. Default 10000. */
    public void setExportTimeoutMs(String exportTimeoutMs) {
        this.exportTimeoutMs = exportTimeoutMs;
    }

    /** The checked configuration; throws naming the variable when a value is not allowed. */
    public TracingConfig toConfig() {
        boolean on = blank(enabled) != null
                ? bool("TRACING", enabled)
                : blank(otlpTracesEndpoint) != null
                        || blank(otlpEndpoint) != null
                        || blank(jaegerEndpoint) != null
                        || blank(jaegerAgentHost) != null;
        String service = firstSet(serviceName, jaegerServiceName, DEFAULT_SERVICE_NAME);
        String protocol = firstSet(otlpTracesProtocol, otlpProtocol, "http/protobuf")
                .trim()
                .toLowerCase(Locale.ROOT);
        if (on && !protocol.equals("http/protobuf")) {
            throw invalid(
                    "OTEL_EXPORTER_OTLP_PROTOCOL",
                    protocol,
                    "only http/protobuf is supported (OTLP over HTTP, "
                            + "port 4318 on Jaeger and the OpenTelemetry Collector)");
        }
        if (blank(jaegerAgentPort) != null) {
            positive("JAEGER_AGENT_PORT", jaegerAgentPort, 65535);
        }
        return new TracingConfig(
                on,
                service,
                endpoint(),
                SamplerSpec.of(sampler, samplerArg, jaegerSamplerType, jaegerSamplerParam),
                Propagation.of(jaegerPropagation, propagators),
                positive("OTEL_BSP_SCHEDULE_DELAY", exportDelayMs, Integer.MAX_VALUE),
                positive("OTEL_EXPORTER_OTLP_TIMEOUT", exportTimeoutMs, Integer.MAX_VALUE));
    }

    private URI endpoint() {
        if (blank(otlpTracesEndpoint) != null) {
            return url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", otlpTracesEndpoint.trim());
        }
        if (blank(otlpEndpoint) != null) {
            String base = otlpEndpoint.trim();
            return url("OTEL_EXPORTER_OTLP_ENDPOINT", (base.endsWith("/") ? base : base + "/") + "v1/traces");
        }
        if (blank(jaegerEndpoint) != null) {
            URI collector = url("JAEGER_ENDPOINT", jaegerEndpoint.trim());
            return url(
                    "JAEGER_ENDPOINT",
                    collector.getScheme() + "://" + hostPart(collector.getHost()) + ":" + OTLP_HTTP_PORT
                            + "/v1/traces");
        }
        String host = blank(jaegerAgentHost) != null ? jaegerAgentHost.trim() : "localhost";
        return url("JAEGER_AGENT_HOST", "http://" + hostPart(host) + ":" + OTLP_HTTP_PORT + "/v1/traces");
    }

    private static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static URI url(String variable, String value) {
        try {
            URI u = new URI(value);
            if (u.getScheme() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw invalid(variable, value, "must be an http:// or https:// URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw invalid(variable, value, "is not a URL: " + e.getReason());
        }
    }

    private static boolean bool(String variable, String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "t", "true", "yes", "on" -> true;
            case "", "0", "f", "false", "no", "off" -> false;
            default -> throw invalid(variable, value, "must be true or false (1 or 0)");
        };
    }

    private static int positive(String variable, String value, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < 1 || v > max) {
                throw invalid(variable, value, "must be between 1 and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid(variable, value, "must be a whole number");
        }
    }

    private static String firstSet(String a, String b, String fallback) {
        return blank(a) != null ? a.trim() : blank(b) != null ? b.trim() : fallback;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static IllegalArgumentException invalid(String variable, String value, String problem) {
        return new IllegalArgumentException(
                variable + " (" + ENVIRONMENT.get(variable) + ") '" + value + "' " + problem);
    }
}
