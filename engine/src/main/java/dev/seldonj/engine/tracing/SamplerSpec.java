package dev.seldonj.engine.tracing;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Locale;

/**
 * Which traces are recorded: {@code OTEL_TRACES_SAMPLER}/{@code _ARG} when set, else Seldon's Jaeger-era
 * {@code JAEGER_SAMPLER_TYPE}/{@code _PARAM}, else every trace. Jaeger's samplers decide for new traces only and
 * follow the caller's decision otherwise, so they map onto OpenTelemetry's parent-based samplers.
 *
 * @param name the sampler as configured, for the start-up log
 */
public record SamplerSpec(String name, Sampler sampler) {

    public static SamplerSpec of(String otelSampler, String otelArg, String jaegerType, String jaegerParam) {
        if (otelSampler != null && !otelSampler.isBlank()) {
            return otel(otelSampler.trim().toLowerCase(Locale.ROOT), otelArg);
        }
        if (jaegerType != null && !jaegerType.isBlank()) {
            return jaeger(jaegerType.trim().toLowerCase(Locale.ROOT), jaegerParam);
        }
        return new SamplerSpec("parentbased_always_on", Sampler.parentBased(Sampler.alwaysOn()));
    }

    private static SamplerSpec otel(String type, String arg) {
        return switch (type) {
            case "always_on" -> new SamplerSpec(type, Sampler.alwaysOn());
            case "always_off" -> new SamplerSpec(type, Sampler.alwaysOff());
            case "traceidratio" ->
                new SamplerSpec(
                        type + " " + ratio("OTEL_TRACES_SAMPLER_ARG", arg, 1.0),
                        Sampler.traceIdRatioBased(ratio("OTEL_TRACES_SAMPLER_ARG", arg, 1.0)));
            case "parentbased_always_on" -> new SamplerSpec(type, Sampler.parentBased(Sampler.alwaysOn()));
            case "parentbased_always_off" -> new SamplerSpec(type, Sampler.parentBased(Sampler.alwaysOff()));
            case "parentbased_traceidratio" ->
                new SamplerSpec(
                        type + " " + ratio("OTEL_TRACES_SAMPLER_ARG", arg, 1.0),
                        Sampler.parentBased(Sampler.traceIdRatioBased(ratio("OTEL_TRACES_SAMPLER_ARG", arg, 1.0))));
            default ->
                throw new IllegalArgumentException("OTEL_TRACES_SAMPLER '" + type + "' must be always_on, always_off, "
                        + "traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio");
        };
    }

    private static SamplerSpec jaeger(String type, String param) {
        return switch (type) {
            case "const" -> {
                boolean on = number("JAEGER_SAMPLER_PARAM", param, 1.0) != 0;
                yield new SamplerSpec(
                        "jaeger const " + (on ? 1 : 0),
                        Sampler.parentBased(on ? Sampler.alwaysOn() : Sampler.alwaysOff()));
            }
            // Jaeger's remote sampler starts from probability 0.001 until its agent answers; there is no agent here.
            case "probabilistic", "remote" -> {
                double ratio = ratio("JAEGER_SAMPLER_PARAM", param, type.equals("remote") ? 0.001 : 1.0);
                yield new SamplerSpec(
                        "jaeger " + type + " " + ratio, Sampler.parentBased(Sampler.traceIdRatioBased(ratio)));
            }
            case "ratelimiting" -> {
                double perSecond = number("JAEGER_SAMPLER_PARAM", param, 1.0);
                if (perSecond < 0) {
                    throw new IllegalArgumentException(
                            "JAEGER_SAMPLER_PARAM '" + param + "' must be 0 or more traces a second");
                }
                yield new SamplerSpec(
                        "jaeger ratelimiting " + perSecond, Sampler.parentBased(new RateLimitingSampler(perSecond)));
            }
            default ->
                throw new IllegalArgumentException(
                        "JAEGER_SAMPLER_TYPE '" + type + "' must be const, probabilistic, " + "ratelimiting or remote");
        };
    }

    private static double ratio(String variable, String value, double fallback) {
        double r = number(variable, value, fallback);
        if (r < 0 || r > 1) {
            throw new IllegalArgumentException(variable + " '" + value + "' must be a probability between 0 and 1");
        }
        return r;
    }

    private static double number(String variable, String value, double fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " '" + value + "' is not a number");
        }
    }
}
