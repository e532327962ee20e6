package dev.seldonj.engine.metrics;

import dev.seldonj.engine.core.MemoryBudget;
import dev.seldonj.engine.core.Step;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * Seldon's executor metrics, with its names, labels, buckets and objectives:
 * {@code seldon_api_executor_server_requests_seconds} (one observation per external request) and
 * {@code seldon_api_executor_client_requests_seconds} (one per component call), each a histogram and
 * a {@code _summary} twin with the same labels. Label sets are resolved once and cached: the usual
 * outcome of each endpoint and each call is held in a field or array slot, so observing it costs no
 * lookup and no string (other codes cost a map lookup), then the histogram's atomic adds and the
 * summary's counter increment ({@link SlidingQuantiles}). Payload logging adds {@code seldon_api_executor_logger_events_total}
 * and {@code seldon_api_executor_logger_queued_events} (Seldon's executor has no metrics of its logger;
 * the names follow its style).
 */
public final class EngineMetrics {

    public static final String SERVER = "seldon_api_executor_server_requests_seconds";
    public static final String CLIENT = "seldon_api_executor_client_requests_seconds";
    /** Exposed with the {@code _total} suffix. */
    public static final String LOGGER_EVENTS = "seldon_api_executor_logger_events";

    public static final String LOGGER_QUEUED = "seldon_api_executor_logger_queued_events";
    /** Beyond Seldon: the memory budget for bodies ({@link MemoryBudget}). */
    public static final String BUDGET_USED = "seldon_api_executor_memory_budget_used_bytes";

    public static final String BUDGET_LIMIT = "seldon_api_executor_memory_budget_limit_bytes";
    public static final String BUDGET_REFUSED = "seldon_api_executor_memory_budget_refusals";

    /** What became of a payload log event. */
    public enum LogOutcome {
        /** The sink answered 2xx. */
        DELIVERED,
        /** Refused, timed out, or answered otherwise. */
        FAILED,
        /** Not sent: the queue was full. */
        DROPPED
    }

    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
    /** Seldon's summary objectives (its allowed rank errors do not apply: see {@link SlidingQuantiles}). */
    private static final double[] QUANTILES = {0.5, 0.75, 0.9, 0.98, 0.99, 1.0};
    /** The summaries' window, Seldon's (Go's defaults): 10 minutes in 5 age buckets. */
    static final long SUMMARY_MAX_AGE_SECONDS = 600;

    static final int SUMMARY_AGE_BUCKETS = 5;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram server;
    private final Histogram client;
    private final Counter loggerEvents;
    private final QuantileSummary serverSummary;
    private final QuantileSummary clientSummary;
    private final String deployment;
    private final String predictor;
    private final String predictorVersion;
    private final ConcurrentHashMap<String, Timer> serverPoints = new ConcurrentHashMap<>();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public EngineMetrics(String deployment, String predictor, String predictorVersion) {
        this.deployment = deployment;
        this.predictor = predictor;
        this.predictorVersion = predictorVersion;
        String[] serverLabels = {"deployment_name", "predictor_name", "predictor_version", "service", "method", "code"};
        String[] clientLabels = {
            "deployment_name",
            "predictor_name",
            "predictor_version",
            "service",
            "model_name",
            "model_image",
            "model_version",
            "method",
            "code"
        };
        this.server = Histogram.builder()
                .name(SERVER)
                .help("Latency of requests to the engine")
                .labelNames(serverLabels)
                .classicOnly()
                .classicUpperBounds(BUCKETS)
                .withoutExemplars()
                .register(registry);
        this.client = Histogram.builder()
                .name(CLIENT)
                .help("Latency of the engine's calls to graph components")
                .labelNames(clientLabels)
                .classicOnly()
                .classicUpperBounds(BUCKETS)
                .withoutExemplars()
                .register(registry);
        this.serverSummary = summary(SERVER, "A summary of latencies of requests to the engine", serverLabels);
        this.clientSummary =
                summary(CLIENT, "A summary of latencies of the engine's calls to graph components", clientLabels);
        this.loggerEvents = Counter.builder()
                .name(LOGGER_EVENTS)
                .help("Payload log events (CloudEvents) by node, type and outcome: delivered, failed or dropped")
                .labelNames("deployment_name", "predictor_name", "predictor_version", "model_name", "type", "outcome")
                .withoutExemplars()
                .register(registry);
    }

    /** The payload log counters of one node, resolved now for each event type so counting is an array index. */
    public LoggerCounters logger(String modelName, String... types) {
        CounterDataPoint[][] points = new CounterDataPoint[types.length][LogOutcome.values().length];
        for (int t = 0; t < types.length; t++) {
            for (LogOutcome o : LogOutcome.values()) {
                points[t][o.ordinal()] = loggerEvents.labelValues(
                        deployment,
                        predictor,
                        predictorVersion,
                        modelName,
                        types[t],
                        o.name().toLowerCase(Locale.ROOT));
            }
        }
        return new LoggerCounters(points);
    }

    /** Exports the number of payload log events waiting, not yet in flight. */
    public void loggerQueue(IntSupplier queued) {
        GaugeWithCallback.builder()
                .name(LOGGER_QUEUED)
                .help("Payload log events waiting for delivery")
                .labelNames("deployment_name", "predictor_name", "predictor_version")
                .callback(cb -> cb.call(queued.getAsInt(), deployment, predictor, predictorVersion))
                .register(registry);
    }

    /** Exports the memory budget: bytes held, the limit, and reservations refused (requests answered 503). */
    public void memoryBudget(MemoryBudget budget) {
        GaugeWithCallback.builder()
                .name(BUDGET_USED)
                .help("Request and answer body bytes held at once")
                .callback(cb -> cb.call(budget.used()))
                .register(registry);
        GaugeWithCallback.builder()
                .name(BUDGET_LIMIT)
                .help("The most body bytes held at once (--memory_budget_bytes)")
                .callback(cb -> cb.call(budget.limit()))
                .register(registry);
        CounterWithCallback.builder()
                .name(BUDGET_REFUSED)
                .help("Body reservations refused: requests answered 503 ENGINE_OVERLOADED or RESOURCE_EXHAUSTED")
                .callback(cb -> cb.call(budget.refusals()))
                .register(registry);
    }

    private QuantileSummary summary(String histogram, String help, String[] labels) {
        QuantileSummary summary = new QuantileSummary(
                histogram + "_summary", help, labels, QUANTILES, SUMMARY_MAX_AGE_SECONDS, SUMMARY_AGE_BUCKETS);
        registry.register(summary);
        return summary;
    }

    /** One label set's histogram and summary, observed together. */
    private record Timer(DistributionDataPoint histogram, SlidingQuantiles summary) {
        void observe(long startNanos) {
            long now = System.nanoTime();
            long nanos = now - startNanos;
            histogram.observe(nanos / 1e9);
            summary.observe(nanos, now);
        }
    }

    /** Records an external request that started at {@code startNanos}. */
    public void server(String service, String method, int code, long startNanos) {
        serverPoint(service, method, code).observe(startNanos);
    }

    private Timer serverPoint(String service, String method, int code) {
        String key = service + '\0' + method + '\0' + code;
        Timer t = serverPoints.get(key);
        if (t == null) {
            t = serverPoints.computeIfAbsent(key, k -> {
                String[] values = {deployment, predictor, predictorVersion, service, method, Integer.toString(code)};
                return new Timer(server.labelValues(values), serverSummary.labelValues(values));
            });
        }
        return t;
    }

    /** One endpoint's requests, with its usual code ({@code ok}) resolved on first use. */
    public Endpoint endpoint(String service, String method, int ok) {
        return new Endpoint(service, method, ok);
    }

    /** See {@link #endpoint}. */
    public final class Endpoint {
        private final String service;
        private final String method;
        private final int ok;
        // Set on first use, not before: a series appears in the scrape only once observed.
        private volatile Timer okPoint;

        private Endpoint(String service, String method, int ok) {
            this.service = service;
            this.method = method;
            this.ok = ok;
        }

        public void observe(int code, long startNanos) {
            Timer t;
            if (code == ok) {
                t = okPoint;
                if (t == null) {
                    t = okPoint = serverPoint(service, method, code);
                }
            } else {
                t = serverPoint(service, method, code);
            }
            t.observe(startNanos);
        }
    }

    /** Metrics of the calls to one node. */
    public Client client(String modelName, String modelImage, String modelVersion, boolean grpc) {
        return new Client(modelName, modelImage, modelVersion, grpc);
    }

    public String contentType() {
        return writer.getContentType();
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One node's payload log events, by type index (as passed to {@link #logger}) and outcome. */
    public static final class LoggerCounters {
        private final CounterDataPoint[][] points;

        private LoggerCounters(CounterDataPoint[][] points) {
            this.points = points;
        }

        public void count(int type, LogOutcome outcome) {
            points[type][outcome.ordinal()].inc();
        }
    }

    /** The calls to one node; label values per (step, code) are cached. */
    public final class Client {
        private final String modelName;
        private final String modelImage;
        private final String modelVersion;
        private final boolean grpc;
        private final ConcurrentHashMap<Integer, Timer> points = new ConcurrentHashMap<>();
        /** Per step, the series of code 200 once observed (set from the map, so racing threads store the same one). */
        private final AtomicReferenceArray<Timer> ok = new AtomicReferenceArray<>(Step.values().length);

        private Client(String modelName, String modelImage, String modelVersion, boolean grpc) {
            this.modelName = modelName;
            this.modelImage = modelImage;
            this.modelVersion = modelVersion;
            this.grpc = grpc;
        }

        public void observe(Step step, int code, long startNanos) {
            Timer t = code == 200 ? ok.get(step.ordinal()) : null;
            if (t == null) {
                t = points.computeIfAbsent(step.ordinal() * 1000 + code, k -> {
                    String[] values = {
                        deployment,
                        predictor,
                        predictorVersion,
                        step.restPath,
                        modelName,
                        modelImage,
                        modelVersion,
                        grpc ? "GRPC" : "POST",
                        Integer.toString(code)
                    };
                    return new Timer(client.labelValues(values), clientSummary.labelValues(values));
                });
                if (code == 200) {
                    ok.set(step.ordinal(), t);
                }
            }
            t.observe(startNanos);
        }
    }
}
