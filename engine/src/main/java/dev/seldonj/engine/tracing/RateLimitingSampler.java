package dev.seldonj.engine.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Jaeger's {@code ratelimiting} sampler: at most N new traces a second (a token bucket holding up to one
 * second's worth, at least one), which OpenTelemetry's SDK does not ship.
 */
final class RateLimitingSampler implements Sampler {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    RateLimitingSampler(double perSecond) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1, perSecond);
        this.tokens = perSecond > 0 ? capacity : 0;
    }

    @Override
    public SamplingResult shouldSample(
            Context parent, String traceId, String name, SpanKind kind, Attributes attributes, List<LinkData> links) {
        return take() ? SamplingResult.recordAndSample() : SamplingResult.drop();
    }

    private synchronized boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    @Override
    public String getDescription() {
        return "RateLimitingSampler{" + perNano * 1e9 + "/s}";
    }
}
