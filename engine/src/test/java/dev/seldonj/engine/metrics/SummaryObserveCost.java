package dev.seldonj.engine.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Random;
import java.util.function.DoubleConsumer;

/**
 * What one observation costs: a histogram (the baseline) and the engine's {@link SlidingQuantiles}
 * against client_java's summaries with Seldon's objectives and different numbers of age buckets,
 * single-threaded and with two threads on one label set (two event loops). Not a test: run by hand,
 * see docs/engine.md "Metrics".
 *
 * <pre>java -cp engine/target/test-classes:engine/target/classes:$(cat cp.txt) dev.seldonj.engine.metrics.SummaryObserveCost</pre>
 */
public final class SummaryObserveCost {

    private static final double[][] OBJECTIVES = {
        {0.5, 0.05}, {0.75, 0.025}, {0.9, 0.01}, {0.98, 0.002}, {0.99, 0.001}, {1.0, 0.0}
    };
    private static final int N = 2_000_000;

    public static void main(String[] args) throws Exception {
        // Latencies around 1 ms with a long tail, as request durations are.
        double[] values = new double[1 << 16];
        Random r = new Random(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(r.nextGaussian() * 0.6) / 1000;
        }
        for (int round = 0; round < 3; round++) {
            System.out.printf("round %d%n", round);
            report("histogram (classic, 14 buckets)", histogram(), values);
            report(
                    "sliding quantiles 600 s / 5 slots",
                    new SlidingQuantiles(600_000_000_000L, 5, System.nanoTime()),
                    values);
            for (int buckets : new int[] {5, 2, 1}) {
                report("summary 600 s / " + buckets + " age buckets", summary(buckets), values);
            }
        }
    }

    private static DistributionDataPoint histogram() {
        return Histogram.builder()
                .name("h")
                .labelNames("l")
                .classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)
                .withoutExemplars()
                .register(new PrometheusRegistry())
                .labelValues("x");
    }

    private static DistributionDataPoint summary(int ageBuckets) {
        Summary.Builder b = Summary.builder()
                .name("s")
                .labelNames("l")
                .maxAgeSeconds(600)
                .numberOfAgeBuckets(ageBuckets)
                .withoutExemplars();
        for (double[] o : OBJECTIVES) {
            b.quantile(o[0], o[1]);
        }
        return b.register(new PrometheusRegistry()).labelValues("x");
    }

    private static void report(String what, DistributionDataPoint p, double[] values) throws InterruptedException {
        run(p, values, N / 4);
        long t0 = System.nanoTime();
        run(p, values, N);
        double single = (System.nanoTime() - t0) / (double) N;
        Thread a = new Thread(() -> run(p, values, N / 2));
        Thread b = new Thread(() -> run(p, values, N / 2));
        long t1 = System.nanoTime();
        a.start();
        b.start();
        a.join();
        b.join();
        double two = (System.nanoTime() - t1) / (double) N;
        System.out.printf("  %-36s %7.1f ns/observe, 2 threads: %7.1f ns/observe (wall)%n", what, single, two);
    }

    private static void report(String what, SlidingQuantiles q, double[] values) throws InterruptedException {
        report(what, seconds -> q.observe((long) (seconds * 1e9), System.nanoTime()), values);
    }

    private static void report(String what, DoubleConsumer observe, double[] values) throws InterruptedException {
        report(
                what,
                new DistributionDataPoint() {
                    @Override
                    public void observe(double value) {
                        observe.accept(value);
                    }

                    @Override
                    public void observeWithExemplar(double value, Labels labels) {
                        observe.accept(value);
                    }
                },
                values);
    }

    private static void run(DistributionDataPoint p, double[] values, int n) {
        for (int i = 0; i < n; i++) {
            p.observe(values[i & (values.length - 1)]);
        }
    }
}
