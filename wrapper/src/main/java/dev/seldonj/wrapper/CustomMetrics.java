package dev.seldonj.wrapper;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.Metric.MetricType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's custom metrics, kept and exposed as the Python wrapper's {@code SeldonMetrics} does:
 * COUNTER adds, GAUGE sets, TIMER (milliseconds) goes into a histogram in seconds with the Python
 * wrapper's 50 log-spaced buckets from 1 ms to 30 s. Each series is labelled with its tags, the calling
 * method ({@code predict}, {@code feedback}, ...) and the unit's default labels (deployment, model,
 * image, predictor). Feedback rewards feed {@code seldon_api_model_feedback} and
 * {@code seldon_api_model_feedback_reward}.
 */
public final class CustomMetrics {

    public static final String FEEDBACK_KEY = "seldon_api_model_feedback";
    public static final String FEEDBACK_REWARD_KEY = "seldon_api_model_feedback_reward";
    static final double[] TIMER_BUCKETS = timerBuckets();

    private static final Logger LOG = LoggerFactory.getLogger(CustomMetrics.class);

    private final Map<String, String> defaultLabels;
    private final Map<String, MetricType> typeByName = new ConcurrentHashMap<>();
    private final Map<SeriesKey, Series> series = new ConcurrentHashMap<>();

    public CustomMetrics(WrapperConfig config) {
        String model = config.unitId().isEmpty() ? WrapperConfig.NOT_IMPLEMENTED : config.unitId();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("deployment_name", config.deploymentName());
        labels.put("model_name", model);
        labels.put("model_image", config.imageName());
        labels.put("model_version", config.imageVersion());
        labels.put("predictor_name", config.predictorName());
        labels.put("predictor_version", config.predictorVersion());
        // The Python wrapper keeps these pre-1.3 names too; dashboards still use them.
        labels.put("seldon_deployment_name", config.deploymentName());
        labels.put("image_name", config.imageName());
        labels.put("image_version", config.imageVersion());
        labels.put("worker_id", String.valueOf(ProcessHandle.current().pid()));
        this.defaultLabels = Map.copyOf(labels);
    }

    /** Records metrics reported by a call of {@code method}. */
    public void record(List<Metric> metrics, String method) {
        for (Metric m : metrics) {
            String name = PrometheusNaming.sanitizeMetricName(m.getKey().isEmpty() ? "unnamed" : m.getKey());
            MetricType known = typeByName.putIfAbsent(name, m.getType());
            if (known != null && known != m.getType()) {
                LOG.warn("metric {} was first reported as {}, ignoring it as {}", name, known, m.getType());
                continue;
            }
            SortedMap<String, String> tags = new TreeMap<>();
            m.getTagsMap().forEach((k, v) -> tags.put(PrometheusNaming.sanitizeLabelName(k), v));
            tags.put("method", method);
            tags.putAll(defaultLabels);
            series.computeIfAbsent(new SeriesKey(m.getType(), name, tags), k -> new Series())
                    .update(m.getType(), m.getValue());
        }
    }

    /** The Python wrapper's feedback counters: only a non-zero reward counts. */
    public void recordReward(float reward) {
        if (reward == 0f) {
            return;
        }
        record(
                List.of(
                        Metric.newBuilder()
                                .setKey(FEEDBACK_KEY)
                                .setType(MetricType.COUNTER)
                                .setValue(1f)
                                .build(),
                        Metric.newBuilder()
                                .setKey(FEEDBACK_REWARD_KEY)
                                .setType(MetricType.COUNTER)
                                .setValue(reward)
                                .build()),
                "feedback");
    }

    /** Writes every series in Prometheus' text format. */
    public void write(OutputStream out) throws IOException {
        Map<String, List<Map.Entry<SeriesKey, Series>>> byName = new TreeMap<>();
        series.entrySet()
                .forEach(e -> byName.computeIfAbsent(e.getKey().name(), k -> new ArrayList<>())
                        .add(e));
        List<MetricSnapshot> snapshots = new ArrayList<>();
        byName.forEach((name, entries) -> snapshots.add(snapshot(name, entries)));
        PrometheusTextFormatWriter.create().write(out, new MetricSnapshots(snapshots));
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    private static MetricSnapshot snapshot(String name, List<Map.Entry<SeriesKey, Series>> entries) {
        MetricType type = entries.get(0).getKey().type();
        switch (type) {
            case GAUGE -> {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help(name, type));
                entries.forEach(e -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(labels(e.getKey().tags()))
                        .value(e.getValue().value())
                        .build()));
                return b.build();
            }
            case TIMER -> {
                HistogramSnapshot.Builder b =
                        HistogramSnapshot.builder().name(name).help(help(name, type));
                entries.forEach(e -> {
                    Series s = e.getValue();
                    b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                            .labels(labels(e.getKey().tags()))
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(TIMER_BUCKETS, s.buckets()))
                            .sum(s.value())
                            .build());
                });
                return b.build();
            }
            default -> {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help(name, type));
                entries.forEach(e -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels(e.getKey().tags()))
                        .value(e.getValue().value())
                        .build()));
                return b.build();
            }
        }
    }

    /**
     * Every family gets a HELP line (Prometheus' linter, {@code promtool check metrics}, requires one; the Python
     * wrapper writes them empty): what it counts for the wrapper's own, the kind and origin for the component's.
     */
    static String help(String name, MetricType type) {
        return switch (name) {
            case FEEDBACK_KEY -> "Feedback calls with a non-zero reward (send-feedback)";
            case FEEDBACK_REWARD_KEY -> "Sum of the rewards of feedback calls (send-feedback)";
            default ->
                switch (type) {
                    case GAUGE -> "Custom gauge " + name + " set by the component";
                    case TIMER -> "Custom timer " + name + " reported by the component, in seconds";
                    default -> "Custom counter " + name + " incremented by the component";
                };
        };
    }

    private static Labels labels(SortedMap<String, String> tags) {
        return Labels.of(new ArrayList<>(tags.keySet()), new ArrayList<>(tags.values()));
    }

    /** 1 ms to 30 s in 50 log-spaced steps, then +Inf: the Python wrapper's {@code BINS[1:]}. */
    private static double[] timerBuckets() {
        double[] bounds = new double[51];
        double lo = Math.log10(0.001);
        double hi = Math.log10(30);
        for (int i = 0; i < 50; i++) {
            bounds[i] = Math.pow(10, lo + (hi - lo) * i / 49);
        }
        bounds[50] = Double.POSITIVE_INFINITY;
        return bounds;
    }

    private record SeriesKey(MetricType type, String name, SortedMap<String, String> tags) {}

    /** One labelled series; updates are rare next to reads, so a lock is simpler than lock-free cells. */
    private static final class Series {
        private double value;
        private final long[] buckets = new long[TIMER_BUCKETS.length];

        synchronized void update(MetricType type, float v) {
            switch (type) {
                case COUNTER -> value += v;
                case GAUGE -> value = v;
                case TIMER -> {
                    double seconds = v / 1000.0;
                    value += seconds;
                    int i = Arrays.binarySearch(TIMER_BUCKETS, seconds);
                    buckets[i >= 0 ? i : -i - 1]++;
                }
                default -> LOG.warn("unknown metric type {}", type);
            }
        }

        synchronized double value() {
            return value;
        }

        synchronized long[] buckets() {
            return buckets.clone();
        }
    }
}
