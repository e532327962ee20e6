package dev.seldonj.engine.config;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: every flag of Seldon's Go executor, so that this engine's image can replace
 * {@code seldon-core-executor} under Seldon's operator unchanged. Flags the engine does not act on
 * (Kafka, logger queue, tracing) are accepted and documented as such.
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
  @Option(names = {"--protocol", "-protocol"}, description = "seldon, tensorflow, v2 or kfserving (an alias of v2)") String protocol = "seldon";
  @Option(names = {"--transport", "-transport"}, description = "rest or grpc") String transport = "rest";
  @Option(names = {"--server_type", "-server_type"}, description = "rpc (kafka is not supported)") String serverType = "rpc";
  @Option(names = {"--prometheus_path", "-prometheus_path"}, description = "Metrics path (default ${DEFAULT-VALUE})") String prometheusPath = EngineConfig.DEFAULT_PROMETHEUS_PATH;
  @Option(names = {"--strict"}, description = "Also check --file against the CRD's JSON schema (slower start-up)") boolean strict;
  @Option(names = {"--dry_run"}, description = "Start, then stop and exit 0: checks the graph (and primes a CDS archive)") boolean dryRun;
  @Option(names = {"--annotations_file"}, description = "Pod annotations file (default ${DEFAULT-VALUE})") Path annotationsFile = EngineConfig.DEFAULT_ANNOTATIONS_PATH;
  @Option(names = {"--event_loop_threads"}, description = "Netty event-loop threads (default: CPU count)") int eventLoopThreads = EngineConfig.DEFAULTS.eventLoopThreads();
  @Option(names = {"--max_body_bytes"}, description = "Largest REST body (default ${DEFAULT-VALUE})") int maxBodyBytes = EngineConfig.DEFAULT_MAX_BODY_BYTES;
  @Option(names = {"--cors_allowed_origins"}, defaultValue = "${env:CORS_ALLOWED_ORIGINS}", description = "Comma-separated browser origins allowed, * for any (default: env CORS_ALLOWED_ORIGINS, else *)") String corsAllowedOrigins;
  @Option(names = {"--cors_allowed_headers"}, defaultValue = "${env:CORS_ALLOWED_HEADERS}", description = "Access-Control-Allow-Headers (default: env CORS_ALLOWED_HEADERS, else Seldon's list)") String corsAllowedHeaders;

  // Accepted for compatibility with the Go executor's command line; see docs/engine.md.
  @Option(names = {"--hostname", "-hostname"}, hidden = true) String hostname;
  @Option(names = {"--graceful_timeout", "-graceful_timeout"}, hidden = true) String gracefulTimeout;
  @Option(names = {"--shutdown_delay", "-shutdown_delay"}, hidden = true) String shutdownDelay;
  @Option(names = {"--logger_workers", "-logger_workers"}, hidden = true) Integer loggerWorkers;
  @Option(names = {"--log_work_buffer_size", "-log_work_buffer_size"}, hidden = true) Integer logWorkBufferSize;
  @Option(names = {"--log_write_timeout_ms", "-log_write_timeout_ms"}, hidden = true) Integer logWriteTimeoutMs;
  @Option(names = {"--log_kafka_broker", "-log_kafka_broker"}, hidden = true) String logKafkaBroker;
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

  /** The typed configuration these flags describe; throws naming the flag when a value is not allowed. */
  public EngineConfig toConfig() {
    Protocol p = switch (protocol.toLowerCase()) {
      case "seldon" -> Protocol.SELDON;
      case "v2" -> Protocol.V2;
      case "kfserving" -> Protocol.KFSERVING;
      case "tensorflow" -> Protocol.TENSORFLOW;
      default -> throw new IllegalArgumentException("--protocol must be seldon, tensorflow, v2 or kfserving, got '"
          + protocol + "'");
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
        eventLoopThreads, Set.of(), CorsPolicy.of(corsAllowedOrigins, corsAllowedHeaders));
  }
}
