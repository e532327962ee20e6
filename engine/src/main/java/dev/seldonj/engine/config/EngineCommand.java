package dev.seldonj.engine.config;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: every flag of Seldon's Go executor, so that this engine's image can replace
 * {@code seldon-core-executor} under Seldon's operator unchanged. Flags the engine does not act on
 * (Kafka server, tracing) are accepted and documented as such. The environment is read here, once.
 */
@Command(name = "seldonj-engine", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs a SeldonDeployment predictor's inference graph (Seldon executor compatible).")
public class EngineCommand {

  @Option(names = {"--sdep", "-sdep"}, description = "SeldonDeployment name") String sdep = "";
  @Option(names = {"--namespace", "-namespace"}, description = "Namespace") String namespace = "default";
  @Option(names = {"--predictor", "-predictor"}, description = "Predictor name") String predictor = "";
  @Option(names = {"--file", "-file"}, description = "Read the predictor from this SeldonDeployment file instead of ENGINE_PREDICTOR") Path file;
  @Option(names = {"--http_port", "-http_port"}, description = "REST port (default ${DEFAULT-VALUE})") int httpPort = EngineConfig.DEFAULT_HTTP_PORT;
  @Option(names = {"--grpc_port", "-grpc_port"}, description = "gRPC port (default ${DEFAULT-VALUE})") int grpcPort = EngineConfig.DEFAULT_GRPC_PORT;
  @Option(names = {"--protocol", "-protocol"}, description = "seldon, v2 or kfserving (tensorflow is not supported)") String protocol = "seldon";
  @Option(names = {"--transport", "-transport"}, description = "rest or grpc") String transport = "rest";
  @Option(names = {"--server_type", "-server_type"}, description = "rpc (kafka is not supported)") String serverType = "rpc";
  @Option(names = {"--prometheus_path", "-prometheus_path"}, description = "Metrics path (default ${DEFAULT-VALUE})") String prometheusPath = EngineConfig.DEFAULT_PROMETHEUS_PATH;
  @Option(names = {"--strict"}, description = "Also check --file against the CRD's JSON schema (slower start-up)") boolean strict;
  @Option(names = {"--dry_run"}, description = "Start, then stop and exit 0: checks the graph (and primes a CDS archive)") boolean dryRun;
  @Option(names = {"--annotations_file"}, description = "Pod annotations file (default ${DEFAULT-VALUE})") Path annotationsFile = EngineConfig.DEFAULT_ANNOTATIONS_PATH;
  @Option(names = {"--event_loop_threads"}, description = "Netty event-loop threads (default: CPU count)") int eventLoopThreads = EngineConfig.DEFAULTS.eventLoopThreads();
  @Option(names = {"--max_body_bytes"}, description = "Largest REST body (default ${DEFAULT-VALUE})") int maxBodyBytes = EngineConfig.DEFAULT_MAX_BODY_BYTES;

  @Option(names = {"--hostname", "-hostname"}, description = "Host of the payload logger's ce-source URL (default: env POD_NAME, else localhost)") String hostname;
  @Option(names = {"--logger_workers", "-logger_workers"}, description = "Payload log deliveries in flight at once (default ${DEFAULT-VALUE})") int loggerWorkers = PayloadLoggerConfig.DEFAULT_WORKERS;
  @Option(names = {"--log_work_buffer_size", "-log_work_buffer_size"}, description = "Payload log events queued for delivery; more are dropped (default ${DEFAULT-VALUE})") int logWorkBufferSize = PayloadLoggerConfig.DEFAULT_QUEUE_SIZE;
  @Option(names = {"--log_write_timeout_ms", "-log_write_timeout_ms"}, description = "Time one payload log delivery may take, ms (default ${DEFAULT-VALUE})") long logWriteTimeoutMs = PayloadLoggerConfig.DEFAULT_WRITE_TIMEOUT_MS;
  @Option(names = {"--log_work_buffer_bytes"}, description = "Payload bytes of the queued and in-flight log events; more are dropped (default: a quarter of the heap)") long logWorkBufferBytes = PayloadLoggerConfig.DEFAULT_QUEUE_BYTES;
  @Option(names = {"--log_kafka_broker", "-log_kafka_broker"}, hidden = true) String logKafkaBroker;

  // Accepted for compatibility with the Go executor's command line; see docs/engine.md.
  @Option(names = {"--graceful_timeout", "-graceful_timeout"}, hidden = true) String gracefulTimeout;
  @Option(names = {"--shutdown_delay", "-shutdown_delay"}, hidden = true) String shutdownDelay;
  @Option(names = {"--log_kafka_topic", "-log_kafka_topic"}, hidden = true) String logKafkaTopic;
  @Option(names = {"--kafka_broker", "-kafka_broker"}, hidden = true) String kafkaBroker;
  @Option(names = {"--kafka_input_topic", "-kafka_input_topic"}, hidden = true) String kafkaInputTopic;
  @Option(names = {"--kafka_output_topic", "-kafka_output_topic"}, hidden = true) String kafkaOutputTopic;
  @Option(names = {"--kafka_full_graph", "-kafka_full_graph"}, arity = "0..1", hidden = true) Boolean kafkaFullGraph;
  @Option(names = {"--kafka_workers", "-kafka_workers"}, hidden = true) Integer kafkaWorkers;
  @Option(names = {"--kafka_auto_commit", "-kafka_auto_commit"}, arity = "0..1", hidden = true) Boolean kafkaAutoCommit;
  @Option(names = {"--full_health_checks", "-full_health_checks"}, arity = "0..1", hidden = true) Boolean fullHealthChecks;
  @Option(names = {"--config", "-config"}, hidden = true) String kubeconfig;
  @Option(names = {"--debug", "-debug"}, arity = "0..1", hidden = true) Boolean debug;
  @Option(names = {"--log_level", "-log_level"}, hidden = true) String logLevel;

  public boolean dryRun() {
    return dryRun;
  }

  public boolean strict() {
    return strict;
  }

  /** The typed configuration these flags and the process environment describe. */
  public EngineConfig toConfig() {
    return toConfig(System.getenv());
  }

  /** The typed configuration these flags and {@code env} describe; throws naming the flag when a value is not allowed. */
  public EngineConfig toConfig(Map<String, String> env) {
    Protocol p = switch (protocol.toLowerCase()) {
      case "seldon" -> Protocol.SELDON;
      case "v2" -> Protocol.V2;
      case "kfserving" -> Protocol.KFSERVING;
      case "tensorflow" -> throw new IllegalArgumentException("--protocol tensorflow is not supported by seldonj-engine");
      default -> throw new IllegalArgumentException("--protocol must be seldon, v2 or kfserving, got '" + protocol + "'");
    };
    Transport t = switch (transport.toLowerCase()) {
      case "rest" -> Transport.REST;
      case "grpc" -> Transport.GRPC;
      default -> throw new IllegalArgumentException("--transport must be rest or grpc, got '" + transport + "'");
    };
    if (!"rpc".equalsIgnoreCase(serverType)) {
      throw new IllegalArgumentException("--server_type " + serverType + " is not supported (only rpc)");
    }
    if (!prometheusPath.startsWith("/")) {
      throw new IllegalArgumentException("--prometheus_path must start with '/', got '" + prometheusPath + "'");
    }
    if (eventLoopThreads < 1) {
      throw new IllegalArgumentException("--event_loop_threads must be at least 1");
    }
    EngineConfig d = EngineConfig.DEFAULTS;
    return new EngineConfig(sdep, namespace, predictor, file, httpPort, grpcPort, p, t, prometheusPath, annotationsFile,
        d.restTimeoutMs(), d.grpcTimeoutMs(), d.grpcMaxMessageBytes(), maxBodyBytes, d.connectTimeoutMs(),
        eventLoopThreads, Set.of(), payloadLogger(env));
  }

  private PayloadLoggerConfig payloadLogger(Map<String, String> env) {
    String kafka = logKafkaBroker != null && !logKafkaBroker.isBlank() ? "--log_kafka_broker"
        : !env.getOrDefault("LOGGER_KAFKA_BROKER", "").isBlank() ? "LOGGER_KAFKA_BROKER" : null;
    if (kafka != null) {
      throw new IllegalArgumentException(kafka + " is set, but seldonj-engine cannot log payloads to Kafka; unset it "
          + "to log over HTTP (CloudEvents to a node's logger.url or REQUEST_LOGGER_DEFAULT_ENDPOINT)");
    }
    if (loggerWorkers < 1) {
      throw new IllegalArgumentException("--logger_workers must be at least 1, got " + loggerWorkers);
    }
    if (logWorkBufferSize < 0) {
      throw new IllegalArgumentException("--log_work_buffer_size must be at least 0, got " + logWorkBufferSize);
    }
    if (logWorkBufferBytes < 1) {
      throw new IllegalArgumentException("--log_work_buffer_bytes must be at least 1, got " + logWorkBufferBytes);
    }
    String host = hostname != null && !hostname.isBlank() ? hostname.trim()
        : !env.getOrDefault("POD_NAME", "").isBlank() ? env.get("POD_NAME").trim() : PayloadLoggerConfig.DEFAULT_HOSTNAME;
    return new PayloadLoggerConfig(env.getOrDefault("REQUEST_LOGGER_DEFAULT_ENDPOINT", "").trim(), host,
        loggerWorkers, logWorkBufferSize, logWriteTimeoutMs, logWorkBufferBytes);
  }
}
