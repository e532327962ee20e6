package dev.seldonj.engine.metrics;

import dev.seldonj.engine.client.Step;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Seldon's executor metrics, with its names, labels and buckets:
 * {@code seldon_api_executor_server_requests_seconds} (one observation per external request) and
 * {@code seldon_api_executor_client_requests_seconds} (one per component call). Label sets are
 * resolved once and cached, so observing costs a map lookup and an atomic add. Payload logging adds
 * {@code seldon_api_executor_logger_events_total} and {@code seldon_api_executor_logger_queued_events}
 * (Seldon's executor has no metrics of its logger; the names follow its style).
 */
public final class EngineMetrics {

  public static final String SERVER = "seldon_api_executor_server_requests_seconds";
  public static final String CLIENT = "seldon_api_executor_client_requests_seconds";
  /** Exposed with the {@code _total} suffix. */
  public static final String LOGGER_EVENTS = "seldon_api_executor_logger_events";
  public static final String LOGGER_QUEUED = "seldon_api_executor_logger_queued_events";

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

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram server;
  private final Histogram client;
  private final Counter loggerEvents;
  private final String deployment;
  private final String predictor;
  private final String predictorVersion;
  private final ConcurrentHashMap<String, DistributionDataPoint> serverPoints = new ConcurrentHashMap<>();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public EngineMetrics(String deployment, String predictor, String predictorVersion) {
    this.deployment = deployment;
    this.predictor = predictor;
    this.predictorVersion = predictorVersion;
    this.server = Histogram.builder().name(SERVER).help("Latency of requests to the engine")
        .labelNames("deployment_name", "predictor_name", "predictor_version", "service", "method", "code")
        .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
    this.client = Histogram.builder().name(CLIENT).help("Latency of the engine's calls to graph components")
        .labelNames("deployment_name", "predictor_name", "predictor_version", "service", "model_name", "model_image",
            "model_version", "method", "code")
        .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
    this.loggerEvents = Counter.builder().name(LOGGER_EVENTS)
        .help("Payload log events (CloudEvents) by node, type and outcome: delivered, failed or dropped")
        .labelNames("deployment_name", "predictor_name", "predictor_version", "model_name", "type", "outcome")
        .withoutExemplars().register(registry);
  }

  /** The payload log counters of one node, resolved now for each event type so counting is an array index. */
  public LoggerCounters logger(String modelName, String... types) {
    CounterDataPoint[][] points = new CounterDataPoint[types.length][LogOutcome.values().length];
    for (int t = 0; t < types.length; t++) {
      for (LogOutcome o : LogOutcome.values()) {
        points[t][o.ordinal()] = loggerEvents.labelValues(deployment, predictor, predictorVersion, modelName, types[t],
            o.name().toLowerCase(Locale.ROOT));
      }
    }
    return new LoggerCounters(points);
  }

  /** Exports the number of payload log events waiting, not yet in flight. */
  public void loggerQueue(IntSupplier queued) {
    GaugeWithCallback.builder().name(LOGGER_QUEUED).help("Payload log events waiting for delivery")
        .labelNames("deployment_name", "predictor_name", "predictor_version")
        .callback(cb -> cb.call(queued.getAsInt(), deployment, predictor, predictorVersion)).register(registry);
  }

  /** Records an external request that started at {@code startNanos}. */
  public void server(String service, String method, int code, long startNanos) {
    String key = service + '\0' + method + '\0' + code;
    DistributionDataPoint p = serverPoints.get(key);
    if (p == null) {
      p = serverPoints.computeIfAbsent(key, k -> server.labelValues(deployment, predictor, predictorVersion, service,
          method, Integer.toString(code)));
    }
    p.observe((System.nanoTime() - startNanos) / 1e9);
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
    private final ConcurrentHashMap<Integer, DistributionDataPoint> points = new ConcurrentHashMap<>();

    private Client(String modelName, String modelImage, String modelVersion, boolean grpc) {
      this.modelName = modelName;
      this.modelImage = modelImage;
      this.modelVersion = modelVersion;
      this.grpc = grpc;
    }

    public void observe(Step step, int code, long startNanos) {
      Integer key = step.ordinal() * 1000 + code;
      DistributionDataPoint p = points.get(key);
      if (p == null) {
        p = points.computeIfAbsent(key, k -> client.labelValues(deployment, predictor, predictorVersion,
            step.restPath, modelName, modelImage, modelVersion, grpc ? "GRPC" : "POST", Integer.toString(code)));
      }
      p.observe((System.nanoTime() - startNanos) / 1e9);
    }
  }
}
