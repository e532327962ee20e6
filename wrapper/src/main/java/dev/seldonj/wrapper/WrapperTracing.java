package dev.seldonj.wrapper;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code TRACING=1}: a server span per component call (REST or gRPC), continuing the caller's trace from its W3C,
 * Jaeger or B3 headers, exported over OTLP/HTTP. Configured as the engine is (docs/tracing.md): Seldon's
 * {@code JAEGER_*} variables mapped onto OpenTelemetry's, and any {@code OTEL_*} variable as OpenTelemetry's SDK
 * reads it. {@link #OFF} adds nothing to a call.
 */
public final class WrapperTracing implements AutoCloseable {

    public static final WrapperTracing OFF = new WrapperTracing(null, null);
    private static final AttributeKey<String> NODE = AttributeKey.stringKey("seldon.node.name");
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private WrapperTracing(OpenTelemetrySdk sdk, Tracer tracer) {
        this.sdk = sdk;
        this.tracer = tracer;
    }

    /** {@link #OFF} unless {@code TRACING} is 1/true; throws naming the variable when a value cannot be used. */
    public static WrapperTracing fromEnv(Map<String, String> env, WrapperConfig config) {
        String tracing = env.getOrDefault("TRACING", "").trim().toLowerCase(Locale.ROOT);
        if (!List.of("1", "true", "t", "yes").contains(tracing)) {
            return OFF;
        }
        Map<String, String> props = properties(env, config.unitId().isEmpty() ? "seldonj-component" : config.unitId());
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> props)
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tracing: " + e.getMessage(), e);
        }
        return new WrapperTracing(sdk, sdk.getTracer("dev.seldonj.wrapper"));
    }

    /** The SDK's properties: the OTEL_* variables given, and the Jaeger-era ones mapped where no OTEL_* one is. */
    static Map<String, String> properties(Map<String, String> env, String defaultService) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("otel.traces.exporter", "otlp");
        p.put("otel.metrics.exporter", "none");
        p.put("otel.logs.exporter", "none");
        p.put("otel.exporter.otlp.protocol", "http/protobuf");
        // Reads every form a caller may send; the component calls nothing further, so nothing is written.
        p.put("otel.propagators", "tracecontext,baggage,jaeger,b3multi");
        p.put("otel.service.name", nonBlank(env.get("JAEGER_SERVICE_NAME"), defaultService));
        String host = env.get("JAEGER_AGENT_HOST");
        if (host != null && !host.isBlank()) {
            p.put("otel.exporter.otlp.endpoint", "http://" + host.trim() + ":4318");
        }
        String type = env.getOrDefault("JAEGER_SAMPLER_TYPE", "").trim().toLowerCase(Locale.ROOT);
        String param = env.get("JAEGER_SAMPLER_PARAM");
        switch (type) {
            case "" -> {}
            case "const" ->
                p.put(
                        "otel.traces.sampler",
                        param != null && param.trim().equals("0") ? "parentbased_always_off" : "parentbased_always_on");
            case "probabilistic", "remote" -> {
                p.put("otel.traces.sampler", "parentbased_traceidratio");
                p.put("otel.traces.sampler.arg", nonBlank(param, type.equals("remote") ? "0.001" : "1"));
            }
            case "ratelimiting" -> p.put("otel.traces.sampler", "parentbased_always_on");
            default ->
                throw new IllegalArgumentException(
                        "JAEGER_SAMPLER_TYPE '" + type + "' must be const, probabilistic, " + "ratelimiting or remote");
        }
        env.forEach((k, v) -> {
            if (k.startsWith("OTEL_") && v != null && !v.isBlank()) {
                p.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v.trim());
            }
        });
        return p;
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public boolean enabled() {
        return sdk != null;
    }

    /**
     * Runs one REST call in a server span continuing the caller's context ({@code header} looks a request header up
     * by name, any case): the REST server's hook, e.g.
     * {@code tracing.call("predict", request.headers()::get, () -> service.predict(message))}.
     */
    public <T> T call(String operation, Function<String, String> header, Supplier<T> call) {
        if (sdk == null) {
            return call.get();
        }
        Span span = start(operation, extract(header));
        try (Scope ignored = span.makeCurrent()) {
            T result = call.get();
            span.setAttribute(HTTP_STATUS, 200L);
            return result;
        } catch (RuntimeException e) {
            span.setAttribute(HTTP_STATUS, (long) (e instanceof SeldonComponentException s ? s.httpStatus() : 500));
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    /** The service with a server span around each call (the gRPC server's hook). */
    public ServerServiceDefinition intercept(ServerServiceDefinition service) {
        return sdk == null ? service : ServerInterceptors.intercept(service, new Interceptor());
    }

    private Context extract(Function<String, String> header) {
        return sdk.getPropagators().getTextMapPropagator().extract(Context.root(), header, GETTER);
    }

    private Span start(String operation, Context parent) {
        return tracer.spanBuilder(operation)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
    }

    private final class Interceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            Context parent = extract(name ->
                    headers.get(Metadata.Key.of(name.toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER)));
            Span span = start(call.getMethodDescriptor().getBareMethodName(), parent);
            span.setAttribute(AttributeKey.stringKey("rpc.system"), "grpc");
            ServerCall<Q, R> ending = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    span.setAttribute(GRPC_STATUS, (long) status.getCode().value());
                    if (!status.isOk()) {
                        span.setStatus(StatusCode.ERROR, String.valueOf(status.getDescription()));
                    }
                    span.end();
                    super.close(status, trailers);
                }
            };
            Context context = parent.with(span);
            ServerCall.Listener<Q> listener;
            try (Scope ignored = context.makeCurrent()) {
                listener = next.startCall(ending, headers);
            }
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onHalfClose() {
                    try (Scope ignored = context.makeCurrent()) {
                        super.onHalfClose();
                    }
                }
            };
        }
    }

    private static final TextMapGetter<Function<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return List.of();
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    /** Exports the spans still queued, then stops. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    OpenTelemetry openTelemetry() {
        return sdk;
    }
}
