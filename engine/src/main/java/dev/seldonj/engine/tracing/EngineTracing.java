package dev.seldonj.engine.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The engine's tracer: OpenTelemetry's SDK set up in code (no agent, nothing global), spans batched and exported
 * over OTLP/HTTP. A request gets a server span continuing the client's context ({@link #begin}); each graph step a
 * child span ({@code client.TracedClient}), whose context goes to the component in the headers {@link Propagation}
 * names. {@link #OFF} does nothing, and the hot path does not reach it: its callers check {@link #enabled()}.
 */
public final class EngineTracing implements AutoCloseable {

    public static final EngineTracing OFF = new EngineTracing(null, null, null, Attributes.empty());

    static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("seldon.deployment");
    static final AttributeKey<String> PREDICTOR = AttributeKey.stringKey("seldon.predictor");
    static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("seldon.namespace");
    public static final AttributeKey<String> PUID = AttributeKey.stringKey("seldon.puid");

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final TextMapPropagator inject;
    private final Attributes requestAttributes;

    private EngineTracing(
            SdkTracerProvider provider, Tracer tracer, TextMapPropagator inject, Attributes requestAttributes) {
        this.provider = provider;
        this.tracer = tracer;
        this.inject = inject;
        this.requestAttributes = requestAttributes;
    }

    /** {@link #OFF} when tracing is not enabled; else a tracer exporting to the configured endpoint. */
    public static EngineTracing start(TracingConfig config, String deployment, String predictor, String namespace) {
        if (!config.enabled()) {
            return OFF;
        }
        Attributes seldon = Attributes.of(DEPLOYMENT, deployment, PREDICTOR, predictor, NAMESPACE, namespace);
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.builder()
                        .put(AttributeKey.stringKey("service.name"), config.serviceName())
                        .putAll(seldon)
                        .build()));
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(config.endpoint().toString())
                .setTimeout(Duration.ofMillis(config.exportTimeoutMs()))
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(config.sampler().sampler())
                .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                        .setScheduleDelay(Duration.ofMillis(config.exportDelayMs()))
                        .setExporterTimeout(Duration.ofMillis(config.exportTimeoutMs()))
                        .build())
                .build();
        LoggerFactory.getLogger(EngineTracing.class)
                .info(
                        "tracing on: service '{}', spans to {} (OTLP/HTTP), sampler {}, "
                                + "propagation to components {}",
                        config.serviceName(),
                        config.endpoint(),
                        config.sampler().name(),
                        config.propagation().names());
        return new EngineTracing(
                provider,
                provider.get("dev.seldonj.engine"),
                config.propagation().inject(),
                seldon);
    }

    public boolean enabled() {
        return provider != null;
    }

    /**
     * Starts a request's server span, continuing the context the client's headers carry (any propagation form).
     * The trace's headers are the client's without its trace headers: components get the engine's instead.
     */
    public RequestTrace begin(String operation, List<Map.Entry<String, String>> headers) {
        Context parent = Propagation.EXTRACT.extract(Context.root(), headers, HEADERS);
        Span span = tracer.spanBuilder(operation)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAllAttributes(requestAttributes)
                .startSpan();
        return new RequestTrace(this, span, parent.with(span), withoutTraceHeaders(headers));
    }

    public Tracer tracer() {
        return tracer;
    }

    TextMapPropagator injector() {
        return inject;
    }

    public Attributes requestAttributes() {
        return requestAttributes;
    }

    private static List<Map.Entry<String, String>> withoutTraceHeaders(List<Map.Entry<String, String>> headers) {
        List<Map.Entry<String, String>> kept = null;
        for (int i = 0; i < headers.size(); i++) {
            boolean trace =
                    Propagation.TRACE_HEADERS.contains(headers.get(i).getKey().toLowerCase(Locale.ROOT));
            if (trace && kept == null) {
                kept = new ArrayList<>(headers.subList(0, i));
            } else if (!trace && kept != null) {
                kept.add(headers.get(i));
            }
        }
        return kept == null ? headers : kept;
    }

    /** Reads the client's headers (names in any case). */
    private static final TextMapGetter<List<Map.Entry<String, String>>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(List<Map.Entry<String, String>> carrier) {
            return carrier.stream().map(Map.Entry::getKey).toList();
        }

        @Override
        public String get(List<Map.Entry<String, String>> carrier, String key) {
            if (carrier == null) {
                return null;
            }
            for (Map.Entry<String, String> e : carrier) {
                if (e.getKey().equalsIgnoreCase(key)) {
                    return e.getValue();
                }
            }
            return null;
        }
    };

    /** Exports the spans still queued (a few seconds at most), then stops. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
