package dev.seldonj.engine.tracing;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which trace headers the engine writes to components, and reads from clients. It writes W3C {@code traceparent}
 * and, as {@code JAEGER_TRACE_PROPAGATION_TYPE} selects (what Seldon's executor and Python wrapper read), Jaeger's
 * {@code uber-trace-id} (the default) or B3's {@code X-B3-*} headers ({@code b3}); {@code w3c} writes traceparent
 * alone. {@code OTEL_PROPAGATORS}, when set, names the written forms instead. It reads any of them (W3C first).
 *
 * @param names the forms written, for the start-up log
 * @param inject the propagator writing those headers
 */
public record Propagation(List<String> names, TextMapPropagator inject) {

    /** Reads every form, so a client of any era continues its trace; traceparent wins over the others. */
    static final TextMapPropagator EXTRACT = TextMapPropagator.composite(
            JaegerPropagator.getInstance(),
            B3Propagator.injectingMultiHeaders(),
            W3CTraceContextPropagator.getInstance(),
            W3CBaggagePropagator.getInstance());

    /** Headers a client's context travels in: replaced by the engine's own on the way to components. */
    static final Set<String> TRACE_HEADERS = Set.of(
            "traceparent",
            "tracestate",
            "uber-trace-id",
            "b3",
            "x-b3-traceid",
            "x-b3-spanid",
            "x-b3-parentspanid",
            "x-b3-sampled",
            "x-b3-flags");

    public static Propagation of(String jaegerType, String otelPropagators) {
        if (otelPropagators != null && !otelPropagators.isBlank()) {
            Set<String> names = new LinkedHashSet<>();
            List<TextMapPropagator> list = new ArrayList<>();
            for (String raw : otelPropagators.split(",")) {
                String name = raw.trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty() || !names.add(name)) {
                    continue;
                }
                list.add(
                        switch (name) {
                            case "tracecontext" -> W3CTraceContextPropagator.getInstance();
                            case "baggage" -> W3CBaggagePropagator.getInstance();
                            case "b3" -> B3Propagator.injectingSingleHeader();
                            case "b3multi" -> B3Propagator.injectingMultiHeaders();
                            case "jaeger" -> JaegerPropagator.getInstance();
                            case "none" -> TextMapPropagator.noop();
                            default ->
                                throw new IllegalArgumentException(
                                        "OTEL_PROPAGATORS '" + otelPropagators + "': unknown propagator '" + name
                                                + "' (known: tracecontext, baggage, b3, b3multi, jaeger, none)");
                        });
            }
            return new Propagation(List.copyOf(names), TextMapPropagator.composite(list));
        }
        String type = jaegerType == null || jaegerType.isBlank()
                ? "jaeger"
                : jaegerType.trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "jaeger" ->
                new Propagation(
                        List.of("tracecontext", "jaeger"),
                        TextMapPropagator.composite(
                                W3CTraceContextPropagator.getInstance(), JaegerPropagator.getInstance()));
            case "b3" ->
                new Propagation(
                        List.of("tracecontext", "b3multi"),
                        TextMapPropagator.composite(
                                W3CTraceContextPropagator.getInstance(), B3Propagator.injectingMultiHeaders()));
            case "w3c" -> new Propagation(List.of("tracecontext"), W3CTraceContextPropagator.getInstance());
            default ->
                throw new IllegalArgumentException(
                        "JAEGER_TRACE_PROPAGATION_TYPE '" + jaegerType + "' must be jaeger, b3 or w3c");
        };
    }
}
