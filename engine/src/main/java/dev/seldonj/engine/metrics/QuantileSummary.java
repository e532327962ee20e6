package dev.seldonj.engine.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus summary (quantiles, {@code _count}, {@code _sum}) whose series are {@link SlidingQuantiles}:
 * exposed exactly as client_java's {@code Summary} would be, at a histogram's cost per observation.
 */
final class QuantileSummary implements Collector {

    private final MetricMetadata metadata;
    private final String[] labelNames;
    private final double[] quantiles;
    private final long maxAgeNanos;
    private final int ageBuckets;
    /** Keyed by the label values joined with NUL: series are created once per label set and cached by callers. */
    private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();

    QuantileSummary(
            String name, String help, String[] labelNames, double[] quantiles, long maxAgeSeconds, int ageBuckets) {
        this.metadata = new MetricMetadata(name, help);
        this.labelNames = labelNames.clone();
        this.quantiles = quantiles.clone();
        this.maxAgeNanos = TimeUnit.SECONDS.toNanos(maxAgeSeconds);
        this.ageBuckets = ageBuckets;
    }

    /** The series of these label values (in the order of the label names), created on first use. */
    SlidingQuantiles labelValues(String... values) {
        if (values.length != labelNames.length) {
            throw new IllegalArgumentException(
                    metadata.getName() + " has " + labelNames.length + " labels, got " + values.length + " values");
        }
        return series.computeIfAbsent(
                        String.join("\0", values),
                        k -> new Series(
                                Labels.of(labelNames, values),
                                new SlidingQuantiles(maxAgeNanos, ageBuckets, System.nanoTime())))
                .quantiles();
    }

    @Override
    public String getPrometheusName() {
        return metadata.getPrometheusName();
    }

    @Override
    public MetricSnapshot collect() {
        long now = System.nanoTime();
        List<SummaryDataPointSnapshot> points = new ArrayList<>(series.size());
        for (Series s : series.values()) {
            double[] values = s.quantiles().quantiles(quantiles, now);
            List<Quantile> list = new ArrayList<>(quantiles.length);
            for (int i = 0; i < quantiles.length; i++) {
                list.add(new Quantile(quantiles[i], values[i]));
            }
            points.add(new SummaryDataPointSnapshot(
                    s.quantiles().count(),
                    s.quantiles().sumSeconds(),
                    Quantiles.of(list),
                    s.labels(),
                    Exemplars.EMPTY,
                    0L));
        }
        return new SummarySnapshot(metadata, points);
    }

    private record Series(Labels labels, SlidingQuantiles quantiles) {}
}
