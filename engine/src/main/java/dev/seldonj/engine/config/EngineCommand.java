package dev.seldonj.engine.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command line: every flag of Seldon's Go executor, so that this engine's image can replace
 * {@code seldon-core-executor} under Seldon's operator unchanged. Flags carry no defaults here: a flag
 * given becomes the Micronaut property {@code engine.<flag, '_' as '-'>} (see {@link #properties()}),
 * and {@link EngineSettings} holds the defaults and checks the values. Flags the engine does not act on
 * (kubeconfig, debug) are accepted and documented as such.
 */
@Command(
        name = "seldonj-engine",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs a SeldonDeployment predictor's inference graph (Seldon executor compatible). "
                + "Defaults and details: docs/engine.md.")
public class EngineCommand {

    @Option(
            names = {"--sdep", "-sdep"},
            description = "SeldonDeployment name")
    String sdep;

    @Option(
            names = {"--namespace", "-namespace"},
            description = "Namespace (default: default)")
    String namespace;

    @Option(
            names = {"--predictor", "-predictor"},
            description = "Predictor name (default: the first)")
    String predictor;

    @Option(
            names = {"--file", "-file"},
            description = "Read the predictor from this SeldonDeployment file instead of ENGINE_PREDICTOR")
    Path file;

    @Option(
            names = {"--http_port", "-http_port"},
            description = "REST port (default 8000)")
    Integer httpPort;

    @Option(
            names = {"--grpc_port", "-grpc_port"},
            description = "gRPC port (default 5001)")
    Integer grpcPort;

    @Option(
            names = {"--protocol", "-protocol"},
            description = "seldon, tensorflow, v2 or kfserving (an alias of v2); default seldon")
    String protocol;

    @Option(
            names = {"--transport", "-transport"},
            description = "rest or grpc (default rest)")
    String transport;

    @Option(
            names = {"--server_type", "-server_type"},
            description = "rpc, or kafka to also serve the Kafka input topic (default rpc)")
    String serverType;

    @Option(
            names = {"--prometheus_path", "-prometheus_path"},
            description = "Metrics path (default /prometheus)")
    String prometheusPath;

    @Option(
            names = {"--strict"},
            arity = "0..1",
            description = "Also check --file against the CRD's JSON schema (slower start-up)")
    Boolean strict;

    @Option(
            names = {"--dry_run"},
            description = "Start, then stop and exit 0: checks the graph (and primes a CDS archive)")
    boolean dryRun;

    @Option(
            names = {"--annotations_file"},
            description = "Pod annotations file (default /etc/podinfo/annotations)")
    Path annotationsFile;

    @Option(
            names = {"--event_loop_threads"},
            description = "Netty event-loop threads (default: CPU count)")
    Integer eventLoopThreads;

    @Option(
            names = {"--max_body_bytes"},
            description = "Largest REST body (default: 64 MiB or a quarter of the memory budget, whichever is smaller)")
    Integer maxBodyBytes;

    @Option(
            names = {"--memory_budget_bytes"},
            description =
                    "Body bytes held at once across all requests and answers; beyond it requests get 503 (default: half of the smaller of heap and direct memory)")
    Long memoryBudgetBytes;

    @Option(
            names = {"--header_read_timeout_ms"},
            description = "Time from a request's first byte to the end of its head, then 408 (default 10000)")
    Long headerReadTimeoutMs;

    @Option(
            names = {"--idle_timeout_ms"},
            description =
                    "Time a client connection may send nothing while awaited: between requests (closed) or within a body (408) (default 300000)")
    Long idleTimeoutMs;

    @Option(
            names = {"--cors_allowed_origins"},
            description =
                    "Comma-separated browser origins allowed, * for any (default: env CORS_ALLOWED_ORIGINS, else *)")
    String corsAllowedOrigins;

    @Option(
            names = {"--cors_allowed_headers"},
            description = "Access-Control-Allow-Headers (default: env CORS_ALLOWED_HEADERS, else Seldon's list)")
    String corsAllowedHeaders;

    @Option(
            names = {"--hostname", "-hostname"},
            description = "Host of the payload logger's ce-source URL (default: env POD_NAME, else localhost)")
    String hostname;

    @Option(
            names = {"--logger_workers", "-logger_workers"},
            description = "Payload log deliveries in flight at once (default 10)")
    Integer loggerWorkers;

    @Option(
            names = {"--log_work_buffer_size", "-log_work_buffer_size"},
            description = "Payload log events queued for delivery; more are dropped (default 10000)")
    Integer logWorkBufferSize;

    @Option(
            names = {"--log_write_timeout_ms", "-log_write_timeout_ms"},
            description = "Time one payload log delivery may take, ms (default 2000)")
    Long logWriteTimeoutMs;

    @Option(
            names = {"--log_work_buffer_bytes"},
            description =
                    "Payload bytes of the queued and in-flight log events; more are dropped (default: a quarter of the heap)")
    Long logWorkBufferBytes;

    @Option(
            names = {"--log_kafka_broker", "-log_kafka_broker"},
            description = "Send payload log events to this Kafka broker instead of HTTP (env LOGGER_KAFKA_BROKER)")
    String logKafkaBroker;

    @Option(
            names = {"--tracing"},
            arity = "0..1",
            description =
                    "Trace requests with OpenTelemetry, exported over OTLP (default: env TRACING, else off); see docs/tracing.md")
    Boolean tracing;

    @Option(
            names = {"--log_kafka_topic", "-log_kafka_topic"},
            description = "Topic of the Kafka payload logger (env LOGGER_KAFKA_TOPIC, default seldon)")
    String logKafkaTopic;

    @Option(
            names = {"--kafka_broker", "-kafka_broker"},
            description = "Broker of --server_type kafka (env KAFKA_BROKER)")
    String kafkaBroker;

    @Option(
            names = {"--kafka_input_topic", "-kafka_input_topic"},
            description = "Topic of requests (env KAFKA_INPUT_TOPIC)")
    String kafkaInputTopic;

    @Option(
            names = {"--kafka_output_topic", "-kafka_output_topic"},
            description = "Topic of answers (env KAFKA_OUTPUT_TOPIC)")
    String kafkaOutputTopic;

    @Option(
            names = {"--kafka_full_graph", "-kafka_full_graph"},
            arity = "0..1",
            description = "Node calls over Kafka (env KAFKA_FULL_GRAPH): not supported, must be false")
    Boolean kafkaFullGraph;

    @Option(
            names = {"--kafka_workers", "-kafka_workers"},
            description = "Records in flight at once (env KAFKA_WORKERS, default 4)")
    Integer kafkaWorkers;

    @Option(
            names = {"--kafka_auto_commit", "-kafka_auto_commit"},
            arity = "0..1",
            description =
                    "Commit answered offsets in the background (true) or synchronously (env KAFKA_AUTO_COMMIT, default true)")
    Boolean kafkaAutoCommit;

    @Option(
            names = {"--kafka_drain_timeout_ms"},
            description = "At shutdown, time for records in flight to be answered and committed (default 15000)")
    Long kafkaDrainTimeoutMs;

    // Accepted for compatibility with the Go executor's command line; see docs/engine.md.
    @Option(
            names = {"--graceful_timeout", "-graceful_timeout"},
            hidden = true)
    String gracefulTimeout;

    @Option(
            names = {"--shutdown_delay", "-shutdown_delay"},
            hidden = true)
    String shutdownDelay;

    @Option(
            names = {"--full_health_checks", "-full_health_checks"},
            arity = "0..1",
            hidden = true)
    Boolean fullHealthChecks;

    @Option(
            names = {"--config", "-config"},
            hidden = true)
    String kubeconfig;

    @Option(
            names = {"--debug", "-debug"},
            arity = "0..1",
            hidden = true)
    Boolean debug;

    @Option(
            names = {"--log_level", "-log_level"},
            hidden = true)
    String logLevel;

    @Spec
    private CommandSpec spec;

    public boolean dryRun() {
        return dryRun;
    }

    /** Environment variables the engine reads, and the property each one sets. */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "ENGINE_PREDICTOR", "engine.predictor-spec",
            "CORS_ALLOWED_ORIGINS", "engine.cors-allowed-origins",
            "CORS_ALLOWED_HEADERS", "engine.cors-allowed-headers",
            "REQUEST_LOGGER_DEFAULT_ENDPOINT", "engine.request-logger-default-endpoint",
            "POD_NAME", "engine.pod-name",
            "LOGGER_KAFKA_BROKER", "engine.log-kafka-broker");

    /** Seldon's Kafka variables (docs/kafka.md), each the property of its name. */
    private static final List<String> KAFKA_ENVIRONMENT = List.of(
            "LOGGER_KAFKA_TOPIC",
            "KAFKA_BROKER",
            "KAFKA_INPUT_TOPIC",
            "KAFKA_OUTPUT_TOPIC",
            "KAFKA_FULL_GRAPH",
            "KAFKA_WORKERS",
            "KAFKA_AUTO_COMMIT",
            "KAFKA_SECURITY_PROTOCOL",
            "KAFKA_SSL_CA_CERT",
            "KAFKA_SSL_CA_CERT_FILE",
            "KAFKA_SSL_CLIENT_CERT",
            "KAFKA_SSL_CLIENT_CERT_FILE",
            "KAFKA_SSL_CLIENT_KEY",
            "KAFKA_SSL_CLIENT_KEY_FILE",
            "KAFKA_SSL_CLIENT_KEY_PASS",
            "KAFKA_SASL_MECHANISM",
            "KAFKA_SASL_USERNAME",
            "KAFKA_SASL_PASSWORD");

    /** The properties the environment sets (read once, at start-up; flags given override them). */
    public static Map<String, Object> environmentProperties(Map<String, String> env) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String variable : KAFKA_ENVIRONMENT) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                String property =
                        variable.startsWith("LOGGER_") ? "log_" + variable.substring("LOGGER_".length()) : variable;
                props.put(propertyOf(property.toLowerCase(Locale.ROOT)), value);
            }
        }
        ENVIRONMENT.forEach((variable, property) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                props.put(property, value);
            }
        });
        TracingSettings.ENVIRONMENT.forEach((variable, property) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                props.put(property, value);
            }
        });
        return props;
    }

    /** The Micronaut property a flag sets: {@code http_port} is {@code engine.http-port}. */
    public static String propertyOf(String flag) {
        if (flag.equals("tracing")) {
            return TracingSettings.ENVIRONMENT.get("TRACING");
        }
        return "engine." + flag.replace('_', '-');
    }

    /**
     * The flags given on the command line as Micronaut properties. Only what was typed: unset flags leave
     * the defaults of {@link EngineSettings} in force.
     */
    public Map<String, Object> properties() {
        Map<String, Object> props = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || "--dry_run".equals(option.longestName())) {
                continue;
            }
            Object value = option.getValue();
            if (value != null) {
                props.put(
                        propertyOf(option.longestName().replaceFirst("^-+", "")),
                        value instanceof Path p ? p.toString() : value);
            }
        }
        return props;
    }
}
