package dev.seldonj.engine.config;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.util.Set;

/**
 * The engine's settings under {@code engine.*}, with every default in this one class. The Go
 * executor's flags map onto these keys ({@code --http_port} is {@code engine.http-port}, see
 * {@link EngineCommand}); {@code ENGINE_PREDICTOR} is {@code engine.predictor-spec}. {@link #toConfig()}
 * checks the values and resolves them into the immutable {@link EngineConfig} the engine runs on.
 */
@ConfigurationProperties("engine")
public class EngineSettings {

  private String sdep = "";
  private String namespace = "default";
  private String predictor = "";
  private Path file;
  private String predictorSpec;
  private int httpPort = 8000;
  private int grpcPort = 5001;
  private String protocol = "seldon";
  private String transport = "rest";
  private String serverType = "rpc";
  private String prometheusPath = "/prometheus";
  private Path annotationsFile = Path.of("/etc/podinfo/annotations");
  private boolean strict;
  private int eventLoopThreads = Runtime.getRuntime().availableProcessors();
  private Integer maxBodyBytes;
  private long restTimeoutMs = 60_000;
  private long grpcTimeoutMs = 60_000;
  private Integer grpcMaxMessageBytes;
  private long memoryBudgetBytes;
  private long headerReadTimeoutMs = 10_000;
  private long idleTimeoutMs = 300_000;
  private int connectTimeoutMs = 5_000;
  private String corsAllowedOrigins;
  private String corsAllowedHeaders;
  private String requestLoggerDefaultEndpoint;
  private String hostname;
  private String podName;
  private int loggerWorkers = 10;
  private int logWorkBufferSize = 10_000;
  private long logWriteTimeoutMs = DEFAULT_LOG_WRITE_TIMEOUT_MS;
  private long logWorkBufferBytes = Runtime.getRuntime().maxMemory() / 4;
  private String logKafkaBroker;

  /** Seldon's: how long one payload log delivery may take (also the fallback for a value of 0 or less). */
  public static final long DEFAULT_LOG_WRITE_TIMEOUT_MS = 2_000;

  /** SeldonDeployment name (metrics label {@code deployment_name}); flag {@code --sdep}. */
  public void setSdep(String sdep) {
    this.sdep = sdep;
  }

  /** Namespace of the deployment; flag {@code --namespace}. Default {@code default}. */
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  /** Predictor to run (the first one of {@code --file} when empty); flag {@code --predictor}. */
  public void setPredictor(String predictor) {
    this.predictor = predictor;
  }

  /** SeldonDeployment file (any apiVersion) to read the predictor from; flag {@code --file}. */
  public void setFile(@Nullable Path file) {
    this.file = file;
  }

  /** Base64 JSON of a defaulted PredictorSpec, as Seldon's operator sets env {@code ENGINE_PREDICTOR}. */
  public void setPredictorSpec(@Nullable String predictorSpec) {
    this.predictorSpec = predictorSpec;
  }

  /** External REST port, 0 for a free one; flag {@code --http_port}. Default 8000. */
  public void setHttpPort(int httpPort) {
    this.httpPort = httpPort;
  }

  /** External gRPC port, 0 for a free one; flag {@code --grpc_port}. Default 5001. */
  public void setGrpcPort(int grpcPort) {
    this.grpcPort = grpcPort;
  }

  /** Wire protocol: seldon, tensorflow, v2 or kfserving (an alias of v2); flag {@code --protocol}. Default seldon. */
  public void setProtocol(String protocol) {
    this.protocol = protocol;
  }

  /** Transport of nodes whose endpoint has no type: rest or grpc; flag {@code --transport}. Default rest. */
  public void setTransport(String transport) {
    this.transport = transport;
  }

  /** Only {@code rpc} is served (Seldon's {@code kafka} server type is not); flag {@code --server_type}. */
  public void setServerType(String serverType) {
    this.serverType = serverType;
  }

  /** Path of the Prometheus scrape endpoint on the HTTP port; flag {@code --prometheus_path}. Default /prometheus. */
  public void setPrometheusPath(String prometheusPath) {
    this.prometheusPath = prometheusPath;
  }

  /** Downward-API file with the pod's annotations; flag {@code --annotations_file}. */
  public void setAnnotationsFile(Path annotationsFile) {
    this.annotationsFile = annotationsFile;
  }

  /** Also check {@code --file} against the CRD's JSON schema (costs seconds of start-up); flag {@code --strict}. */
  public void setStrict(boolean strict) {
    this.strict = strict;
  }

  /** Netty event loops shared by both servers and the component clients. Default: the CPU count. */
  public void setEventLoopThreads(int eventLoopThreads) {
    this.eventLoopThreads = eventLoopThreads;
  }

  /**
   * Largest REST body from clients and components, in bytes (annotation {@code seldon.io/rest-max-body-size});
   * flag {@code --max_body_bytes}. Default: 64 MiB or a quarter of the memory budget, whichever is smaller; never
   * more than the budget.
   */
  public void setMaxBodyBytes(@Nullable Integer maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Body bytes held at once across all requests and answers (REST and gRPC, clients and components); a request
   * that does not fit gets 503 with Retry-After (gRPC RESOURCE_EXHAUSTED); flag {@code --memory_budget_bytes}.
   * Default (0): half of the smaller of the heap and direct-memory limits.
   */
  public void setMemoryBudgetBytes(long memoryBudgetBytes) {
    this.memoryBudgetBytes = memoryBudgetBytes;
  }

  /**
   * Time from a request's first byte to the end of its head; then 408 and the connection closes (slowloris);
   * flag {@code --header_read_timeout_ms}. Default 10 s.
   */
  public void setHeaderReadTimeoutMs(long headerReadTimeoutMs) {
    this.headerReadTimeoutMs = headerReadTimeoutMs;
  }

  /**
   * Time a client connection may send nothing while the engine waits on it: between requests (then it is
   * closed) or within a request body (then 408 and closed); flag {@code --idle_timeout_ms}. Default 300 s,
   * longer than the idle timeouts proxies usually keep.
   */
  public void setIdleTimeoutMs(long idleTimeoutMs) {
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** Per-call timeout of REST component calls (annotation {@code seldon.io/rest-timeout}). Default 60 s. */
  public void setRestTimeoutMs(long restTimeoutMs) {
    this.restTimeoutMs = restTimeoutMs;
  }

  /** Per-call deadline of gRPC component calls (annotation {@code seldon.io/grpc-timeout}). Default 60 s. */
  public void setGrpcTimeoutMs(long grpcTimeoutMs) {
    this.grpcTimeoutMs = grpcTimeoutMs;
  }

  /**
   * Largest gRPC message (annotation {@code seldon.io/grpc-max-message-size}). Seldon's default is
   * Integer.MAX_VALUE; here a quarter of the memory budget, and never more than the budget.
   */
  public void setGrpcMaxMessageBytes(@Nullable Integer grpcMaxMessageBytes) {
    this.grpcMaxMessageBytes = grpcMaxMessageBytes;
  }

  /** TCP connect timeout towards components. Default 5 s. */
  public void setConnectTimeoutMs(int connectTimeoutMs) {
    this.connectTimeoutMs = connectTimeoutMs;
  }

  /** Browser origins allowed, comma-separated, {@code *} for any (env {@code CORS_ALLOWED_ORIGINS}). Default {@code *}. */
  public void setCorsAllowedOrigins(@Nullable String corsAllowedOrigins) {
    this.corsAllowedOrigins = corsAllowedOrigins;
  }

  /** {@code Access-Control-Allow-Headers} (env {@code CORS_ALLOWED_HEADERS}). Default: Seldon's list, {@link CorsPolicy}. */
  public void setCorsAllowedHeaders(@Nullable String corsAllowedHeaders) {
    this.corsAllowedHeaders = corsAllowedHeaders;
  }

  /** Sink of the payload loggers that name no url (env {@code REQUEST_LOGGER_DEFAULT_ENDPOINT}, set by the operator). */
  public void setRequestLoggerDefaultEndpoint(@Nullable String requestLoggerDefaultEndpoint) {
    this.requestLoggerDefaultEndpoint = requestLoggerDefaultEndpoint;
  }

  /** Host of the payload logger's {@code ce-source} URL; flag {@code --hostname}. Default: {@link #setPodName}, else localhost. */
  public void setHostname(@Nullable String hostname) {
    this.hostname = hostname;
  }

  /** The pod's name (env {@code POD_NAME}), the {@code ce-source} host when {@code --hostname} is not given. */
  public void setPodName(@Nullable String podName) {
    this.podName = podName;
  }

  /** Payload log deliveries in flight at once; flag {@code --logger_workers}. Default 10. */
  public void setLoggerWorkers(int loggerWorkers) {
    this.loggerWorkers = loggerWorkers;
  }

  /**
   * Payload log events queued beyond those in flight, more are dropped; flag {@code --log_work_buffer_size},
   * annotation {@code seldon.io/executor-logger-queue-size}. Default 10000.
   */
  public void setLogWorkBufferSize(int logWorkBufferSize) {
    this.logWorkBufferSize = logWorkBufferSize;
  }

  /**
   * Time one payload log delivery may take to connect, and then to be answered; flag
   * {@code --log_write_timeout_ms}, annotation {@code seldon.io/executor-logger-write-timeout-ms}. Default 2000.
   */
  public void setLogWriteTimeoutMs(long logWriteTimeoutMs) {
    this.logWriteTimeoutMs = logWriteTimeoutMs;
  }

  /** Payload bytes of the queued and in-flight log events, more are dropped; flag {@code --log_work_buffer_bytes}. Default: a quarter of the heap. */
  public void setLogWorkBufferBytes(long logWorkBufferBytes) {
    this.logWorkBufferBytes = logWorkBufferBytes;
  }

  /** Kafka payload logging ({@code --log_kafka_broker}, env {@code LOGGER_KAFKA_BROKER}): refused, see {@link #toConfig()}. */
  public void setLogKafkaBroker(@Nullable String logKafkaBroker) {
    this.logKafkaBroker = logKafkaBroker;
  }

  public String getPredictorSpec() {
    return predictorSpec;
  }

  public boolean isStrict() {
    return strict;
  }

  /** The checked, immutable configuration; throws naming the flag and the key when a value is not allowed. */
  public EngineConfig toConfig() {
    Protocol p = switch (protocol.toLowerCase()) {
      case "seldon" -> Protocol.SELDON;
      case "v2" -> Protocol.V2;
      case "kfserving" -> Protocol.KFSERVING;
      case "tensorflow" -> Protocol.TENSORFLOW;
      default -> throw invalid("protocol", "must be seldon, tensorflow, v2 or kfserving, got '" + protocol + "'");
    };
    Transport t = switch (transport.toLowerCase()) {
      case "rest" -> Transport.REST;
      case "grpc" -> Transport.GRPC;
      default -> throw invalid("transport", "must be rest or grpc, got '" + transport + "'");
    };
    if (!"rpc".equalsIgnoreCase(serverType)) {
      throw invalid("server_type", serverType + " is not supported (only rpc)");
    }
    if (!prometheusPath.startsWith("/")) {
      throw invalid("prometheus_path", "must start with '/', got '" + prometheusPath + "'");
    }
    requireRange("http_port", httpPort, 0, 65535);
    requireRange("grpc_port", grpcPort, 0, 65535);
    requireRange("event_loop_threads", eventLoopThreads, 1, 1024);
    requireRange("memory_budget_bytes", memoryBudgetBytes, 0, Long.MAX_VALUE);
    requireRange("header_read_timeout_ms", headerReadTimeoutMs, 1, Long.MAX_VALUE);
    requireRange("idle_timeout_ms", idleTimeoutMs, 1, Long.MAX_VALUE);
    ServerLimits limits = new ServerLimits(memoryBudgetBytes > 0 ? memoryBudgetBytes
        : dev.seldonj.engine.exec.MemoryBudget.derivedLimit(), headerReadTimeoutMs, idleTimeoutMs);
    long quarter = Math.max(1, limits.memoryBudgetBytes() / 4);
    int maxBody = EngineConfig.withinBudget(maxBodyBytes != null ? maxBodyBytes : Math.min(64L << 20, quarter), limits);
    int grpcMax = EngineConfig.withinBudget(grpcMaxMessageBytes != null ? grpcMaxMessageBytes : quarter, limits);
    requireRange("max_body_bytes", maxBody, 1, Integer.MAX_VALUE);
    requireRange("rest_timeout_ms", restTimeoutMs, 1, Long.MAX_VALUE);
    requireRange("grpc_timeout_ms", grpcTimeoutMs, 1, Long.MAX_VALUE);
    requireRange("grpc_max_message_bytes", grpcMax, 1, Integer.MAX_VALUE);
    requireRange("connect_timeout_ms", connectTimeoutMs, 1, Integer.MAX_VALUE);
    return new EngineConfig(sdep, namespace, predictor, file, httpPort, grpcPort, p, t, prometheusPath,
        annotationsFile, restTimeoutMs, grpcTimeoutMs, grpcMax, maxBody, connectTimeoutMs,
        eventLoopThreads, Set.of(), CorsPolicy.of(corsAllowedOrigins, corsAllowedHeaders), payloadLogger(), limits);
  }

  private PayloadLoggerConfig payloadLogger() {
    if (logKafkaBroker != null && !logKafkaBroker.isBlank()) {
      throw invalid("log_kafka_broker", "(or LOGGER_KAFKA_BROKER) is set, but seldonj-engine cannot log payloads to "
          + "Kafka; unset it to log over HTTP (CloudEvents to a node's logger.url or REQUEST_LOGGER_DEFAULT_ENDPOINT)");
    }
    requireRange("logger_workers", loggerWorkers, 1, 10_000);
    requireRange("log_work_buffer_size", logWorkBufferSize, 0, Integer.MAX_VALUE);
    requireRange("log_work_buffer_bytes", logWorkBufferBytes, 1, Long.MAX_VALUE);
    String host = hostname != null && !hostname.isBlank() ? hostname.trim()
        : podName != null && !podName.isBlank() ? podName.trim() : "localhost";
    return new PayloadLoggerConfig(requestLoggerDefaultEndpoint == null ? "" : requestLoggerDefaultEndpoint.trim(),
        host, loggerWorkers, logWorkBufferSize, logWriteTimeoutMs, logWorkBufferBytes);
  }

  private static void requireRange(String flag, long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(flag, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static IllegalArgumentException invalid(String flag, String problem) {
    return new IllegalArgumentException("--" + flag + " (" + EngineCommand.propertyOf(flag) + ") " + problem);
  }
}
