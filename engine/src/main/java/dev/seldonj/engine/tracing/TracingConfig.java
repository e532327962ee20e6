package dev.seldonj.engine.tracing;

import java.net.URI;

/**
 * Tracing as resolved once at start-up from {@link dev.seldonj.engine.config.TracingSettings}.
 *
 * @param enabled whether requests are traced at all (off: no tracer, no header work)
 * @param serviceName the {@code service.name} spans are reported under
 * @param endpoint the OTLP/HTTP URL spans are posted to
 * @param sampler which traces are recorded
 * @param propagation the headers written to components (all known forms are read)
 * @param exportDelayMs time between span exports
 * @param exportTimeoutMs time one export may take
 */
public record TracingConfig(
        boolean enabled,
        String serviceName,
        URI endpoint,
        SamplerSpec sampler,
        Propagation propagation,
        int exportDelayMs,
        int exportTimeoutMs) {}
