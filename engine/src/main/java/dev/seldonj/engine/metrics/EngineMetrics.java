package dev.seldonj.engine.metrics;

import dev.seldonj.engine.client.Step;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Seldon's executor metrics, with its names, labels and buckets:
 * {@code seldon_api_executor_server_requests_seconds} (one observation per external request) and
 * {@code seldon_api_executor_client_requests_seconds} (one per component call). Label sets are
 * resolved once and cached: the usual outcome of each endpoint and each call is held in a field or
 * array slot, so observing it costs no lookup and no string; other codes cost a map lookup.
 */
public final class EngineMetrics {

  public static final String SERVER = "seldon_api_executor_server_requests_seconds";
  public static final String CLIENT = "seldon_api_executor_client_requests_seconds";
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram server;
  private final Histogram client;
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
  }

  /** Records an external request that started at {@code startNanos}. */
  public void server(String service, String method, int code, long startNanos) {
    serverPoint(service, method, code).observe((System.nanoTime() - startNanos) / 1e9);
  }

  private DistributionDataPoint serverPoint(String service, String method, int code) {
    String key = service + '\0' + method + '\0' + code;
    DistributionDataPoint p = serverPoints.get(key);
    if (p == null) {
      p = serverPoints.computeIfAbsent(key, k -> server.labelValues(deployment, predictor, predictorVersion, service,
          method, Integer.toString(code)));
    }
    return p;
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
    private volatile DistributionDataPoint okPoint;

    private Endpoint(String service, String method, int ok) {
      this.service = service;
      this.method = method;
      this.ok = ok;
    }

    public void observe(int code, long startNanos) {
      DistributionDataPoint p;
      if (code == ok) {
        p = okPoint;
        if (p == null) {
          p = okPoint = serverPoint(service, method, code);
        }
      } else {
        p = serverPoint(service, method, code);
      }
      p.observe((System.nanoTime() - startNanos) / 1e9);
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

  /** The calls to one node; label values per (step, code) are cached. */
  public final class Client {
    private final String modelName;
    private final String modelImage;
    private final String modelVersion;
    private final boolean grpc;
    private final ConcurrentHashMap<Integer, DistributionDataPoint> points = new ConcurrentHashMap<>();
    /** Per step, the series of code 200 once observed (set from the map, so racing threads store the same one). */
    private final AtomicReferenceArray<DistributionDataPoint> ok = new AtomicReferenceArray<>(Step.values().length);

    private Client(String modelName, String modelImage, String modelVersion, boolean grpc) {
      this.modelName = modelName;
      this.modelImage = modelImage;
      this.modelVersion = modelVersion;
      this.grpc = grpc;
    }

    public void observe(Step step, int code, long startNanos) {
      DistributionDataPoint p = code == 200 ? ok.get(step.ordinal()) : null;
      if (p == null) {
        p = points.computeIfAbsent(step.ordinal() * 1000 + code, k -> client.labelValues(deployment, predictor,
            predictorVersion, step.restPath, modelName, modelImage, modelVersion, grpc ? "GRPC" : "POST",
            Integer.toString(code)));
        if (code == 200) {
          ok.set(step.ordinal(), p);
        }
      }
      p.observe((System.nanoTime() - startNanos) / 1e9);
    }
  }
}
