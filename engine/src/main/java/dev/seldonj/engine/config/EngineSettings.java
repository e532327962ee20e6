package dev.seldonj.engine.config;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.Transport;
import dev.seldonj.engine.core.MemoryBudget;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.util.Map;
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
    private String logKafkaTopic;
    private String kafkaBroker;
    private String kafkaInputTopic;
    private String kafkaOutputTopic;
    private String kafkaFullGraph = "false";
    private String kafkaWorkers = "4";
    private String kafkaAutoCommit = "true";
    private long kafkaDrainTimeoutMs = 15_000;
    private String kafkaSecurityProtocol;
    private String kafkaSslCaCert;
    private String kafkaSslCaCertFile;
    private String kafkaSslClientCert;
    private String kafkaSslClientCertFile;
    private String kafkaSslClientKey;
    private String kafkaSslClientKeyFile;
    private String kafkaSslClientKeyPass;
    private String kafkaSaslMechanism;
    private String kafkaSaslUsername;
    private String kafkaSaslPassword;

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

    /** {@code rpc} (REST and gRPC) or {@code kafka} (also consumes the input topic, see docs/kafka.md); flag {@code --server_type}. */
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

    /** Payload log events go to this Kafka broker instead of HTTP ({@code --log_kafka_broker}, env {@code LOGGER_KAFKA_BROKER}). */
    public void setLogKafkaBroker(@Nullable String logKafkaBroker) {
        this.logKafkaBroker = logKafkaBroker;
    }

    /** Topic of the Kafka payload logger ({@code --log_kafka_topic}, env {@code LOGGER_KAFKA_TOPIC}). Default {@code seldon}. */
    public void setLogKafkaTopic(@Nullable String logKafkaTopic) {
        this.logKafkaTopic = logKafkaTopic;
    }

    /** Broker of the Kafka server type ({@code --kafka_broker}, env {@code KAFKA_BROKER}); required with it. */
    public void setKafkaBroker(@Nullable String kafkaBroker) {
        this.kafkaBroker = kafkaBroker;
    }

    /** Topic of requests ({@code --kafka_input_topic}, env {@code KAFKA_INPUT_TOPIC}); required with the Kafka server type. */
    public void setKafkaInputTopic(@Nullable String kafkaInputTopic) {
        this.kafkaInputTopic = kafkaInputTopic;
    }

    /** Topic of answers ({@code --kafka_output_topic}, env {@code KAFKA_OUTPUT_TOPIC}); required with the Kafka server type. */
    public void setKafkaOutputTopic(@Nullable String kafkaOutputTopic) {
        this.kafkaOutputTopic = kafkaOutputTopic;
    }

    /** Seldon's node calls over Kafka topics ({@code --kafka_full_graph}, env {@code KAFKA_FULL_GRAPH}): refused when true. Default false. */
    public void setKafkaFullGraph(@Nullable String kafkaFullGraph) {
        this.kafkaFullGraph = kafkaFullGraph;
    }

    /** Records in flight at once ({@code --kafka_workers}, env {@code KAFKA_WORKERS}). Default 4. */
    public void setKafkaWorkers(@Nullable String kafkaWorkers) {
        this.kafkaWorkers = kafkaWorkers;
    }

    /**
     * Commit in the background as answers are acknowledged (true) or synchronously after each (false); offsets are
     * never committed before their answer either way ({@code --kafka_auto_commit}, env {@code KAFKA_AUTO_COMMIT}).
     * Default true.
     */
    public void setKafkaAutoCommit(@Nullable String kafkaAutoCommit) {
        this.kafkaAutoCommit = kafkaAutoCommit;
    }

    /** At shutdown, how long records in flight may take to be answered and committed. Default 15 s (Seldon's graceful timeout). */
    public void setKafkaDrainTimeoutMs(long kafkaDrainTimeoutMs) {
        this.kafkaDrainTimeoutMs = kafkaDrainTimeoutMs;
    }

    /** Env {@code KAFKA_SECURITY_PROTOCOL}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    public void setKafkaSecurityProtocol(@Nullable String v) {
        this.kafkaSecurityProtocol = v;
    }

    /** Env {@code KAFKA_SSL_CA_CERT}: the CA certificate, PEM. */
    public void setKafkaSslCaCert(@Nullable String v) {
        this.kafkaSslCaCert = v;
    }

    /** Env {@code KAFKA_SSL_CA_CERT_FILE}: the CA certificate, a PEM file. */
    public void setKafkaSslCaCertFile(@Nullable String v) {
        this.kafkaSslCaCertFile = v;
    }

    /** Env {@code KAFKA_SSL_CLIENT_CERT}: the client certificate, PEM. */
    public void setKafkaSslClientCert(@Nullable String v) {
        this.kafkaSslClientCert = v;
    }

    /** Env {@code KAFKA_SSL_CLIENT_CERT_FILE}: the client certificate, a PEM file. */
    public void setKafkaSslClientCertFile(@Nullable String v) {
        this.kafkaSslClientCertFile = v;
    }

    /** Env {@code KAFKA_SSL_CLIENT_KEY}: the client key, PEM. */
    public void setKafkaSslClientKey(@Nullable String v) {
        this.kafkaSslClientKey = v;
    }

    /** Env {@code KAFKA_SSL_CLIENT_KEY_FILE}: the client key, a PEM file. */
    public void setKafkaSslClientKeyFile(@Nullable String v) {
        this.kafkaSslClientKeyFile = v;
    }

    /** Env {@code KAFKA_SSL_CLIENT_KEY_PASS}: the client key's password, if it is encrypted. */
    public void setKafkaSslClientKeyPass(@Nullable String v) {
        this.kafkaSslClientKeyPass = v;
    }

    /** Env {@code KAFKA_SASL_MECHANISM}: PLAIN (default), SCRAM-SHA-256 or SCRAM-SHA-512. */
    public void setKafkaSaslMechanism(@Nullable String v) {
        this.kafkaSaslMechanism = v;
    }

    /** Env {@code KAFKA_SASL_USERNAME}. */
    public void setKafkaSaslUsername(@Nullable String v) {
        this.kafkaSaslUsername = v;
    }

    /** Env {@code KAFKA_SASL_PASSWORD}. */
    public void setKafkaSaslPassword(@Nullable String v) {
        this.kafkaSaslPassword = v;
    }

    /**
     * The Kafka server type and Kafka payload logging, checked; throws naming the flag and its variable when a value
     * is missing or not allowed.
     */
    public KafkaConfig kafka() {
        boolean kafkaServer = "kafka".equalsIgnoreCase(serverType.trim());
        String logBroker = trimmed(logKafkaBroker);
        if (!kafkaServer && logBroker == null) {
            return KafkaConfig.NONE;
        }
        Map<String, String> security = KafkaSecurity.properties(new KafkaSecurity.Variables(
                kafkaSecurityProtocol,
                kafkaSslCaCert,
                kafkaSslCaCertFile,
                kafkaSslClientCert,
                kafkaSslClientCertFile,
                kafkaSslClientKey,
                kafkaSslClientKeyFile,
                kafkaSslClientKeyPass,
                kafkaSaslMechanism,
                kafkaSaslUsername,
                kafkaSaslPassword));
        KafkaConfig.Server server = null;
        if (kafkaServer) {
            if (parseBool("kafka_full_graph", "KAFKA_FULL_GRAPH", kafkaFullGraph)) {
                throw invalid(
                        "kafka_full_graph",
                        "(or KAFKA_FULL_GRAPH) is true, but seldonj-engine does not call graph "
                                + "nodes over Kafka topics (Seldon's kafka-proxy); it calls them over REST or gRPC: unset it");
            }
            if (!"seldon".equalsIgnoreCase(protocol)) {
                throw invalid(
                        "server_type", "kafka serves the seldon protocol (SeldonMessages), not '" + protocol + "'");
            }
            int workers;
            try {
                workers = Integer.parseInt(kafkaWorkers.trim());
            } catch (NumberFormatException e) {
                throw invalid("kafka_workers", "(or KAFKA_WORKERS) must be a whole number, got '" + kafkaWorkers + "'");
            }
            requireRange("kafka_workers", workers, 1, 10_000);
            requireRange("kafka_drain_timeout_ms", kafkaDrainTimeoutMs, 0, Long.MAX_VALUE);
            server = new KafkaConfig.Server(
                    brokers("kafka_broker", "KAFKA_BROKER", required("kafka_broker", "KAFKA_BROKER", kafkaBroker)),
                    required("kafka_input_topic", "KAFKA_INPUT_TOPIC", kafkaInputTopic),
                    required("kafka_output_topic", "KAFKA_OUTPUT_TOPIC", kafkaOutputTopic),
                    workers,
                    parseBool("kafka_auto_commit", "KAFKA_AUTO_COMMIT", kafkaAutoCommit),
                    kafkaDrainTimeoutMs);
        }
        KafkaConfig.Logger logger = null;
        if (logBroker != null) {
            String topic = trimmed(logKafkaTopic);
            logger = new KafkaConfig.Logger(
                    brokers("log_kafka_broker", "LOGGER_KAFKA_BROKER", logBroker), topic == null ? "seldon" : topic);
        }
        return new KafkaConfig(server, logger, security);
    }

    private static String required(String flag, String variable, String value) {
        String v = trimmed(value);
        if (v == null) {
            throw invalid(flag, "(or " + variable + ") is required with --server_type kafka");
        }
        return v;
    }

    /** Bootstrap servers: {@code host:port}, comma-separated. */
    private static String brokers(String flag, String variable, String value) {
        for (String entry : value.split(",")) {
            String e = entry.trim();
            int colon = e.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(e.substring(colon + 1));
                } catch (NumberFormatException notANumber) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw invalid(flag, "(or " + variable + ") must be host:port[,host:port...], got '" + value + "'");
            }
        }
        return value;
    }

    /** Go's strconv.ParseBool, as Seldon's executor reads these variables. */
    private static boolean parseBool(String flag, String variable, String value) {
        String v = value == null ? "" : value.trim();
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "", "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw invalid(flag, "(or " + variable + ") must be true or false, got '" + value + "'");
        };
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
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
        if (!"rpc".equalsIgnoreCase(serverType.trim()) && !"kafka".equalsIgnoreCase(serverType.trim())) {
            throw invalid("server_type", "must be rpc or kafka, got '" + serverType + "'");
        }
        kafka(); // checked with everything else, at start-up
        if (!prometheusPath.startsWith("/")) {
            throw invalid("prometheus_path", "must start with '/', got '" + prometheusPath + "'");
        }
        requireRange("http_port", httpPort, 0, 65535);
        requireRange("grpc_port", grpcPort, 0, 65535);
        requireRange("event_loop_threads", eventLoopThreads, 1, 1024);
        requireRange("memory_budget_bytes", memoryBudgetBytes, 0, Long.MAX_VALUE);
        requireRange("header_read_timeout_ms", headerReadTimeoutMs, 1, Long.MAX_VALUE);
        requireRange("idle_timeout_ms", idleTimeoutMs, 1, Long.MAX_VALUE);
        ServerLimits limits = new ServerLimits(
                memoryBudgetBytes > 0 ? memoryBudgetBytes : MemoryBudget.derivedLimit(),
                headerReadTimeoutMs,
                idleTimeoutMs);
        long quarter = Math.max(1, limits.memoryBudgetBytes() / 4);
        int maxBody =
                EngineConfig.withinBudget(maxBodyBytes != null ? maxBodyBytes : Math.min(64L << 20, quarter), limits);
        int grpcMax = EngineConfig.withinBudget(grpcMaxMessageBytes != null ? grpcMaxMessageBytes : quarter, limits);
        requireRange("max_body_bytes", maxBody, 1, Integer.MAX_VALUE);
        requireRange("rest_timeout_ms", restTimeoutMs, 1, Long.MAX_VALUE);
        requireRange("grpc_timeout_ms", grpcTimeoutMs, 1, Long.MAX_VALUE);
        requireRange("grpc_max_message_bytes", grpcMax, 1, Integer.MAX_VALUE);
        requireRange("connect_timeout_ms", connectTimeoutMs, 1, Integer.MAX_VALUE);
        return new EngineConfig(
                sdep,
                namespace,
                predictor,
                file,
                httpPort,
                grpcPort,
                p,
                t,
                prometheusPath,
                annotationsFile,
                restTimeoutMs,
                grpcTimeoutMs,
                grpcMax,
                maxBody,
                connectTimeoutMs,
                eventLoopThreads,
                Set.of(),
                CorsPolicy.of(corsAllowedOrigins, corsAllowedHeaders),
                payloadLogger(),
                limits);
    }

    private PayloadLoggerConfig payloadLogger() {
        requireRange("logger_workers", loggerWorkers, 1, 10_000);
        requireRange("log_work_buffer_size", logWorkBufferSize, 0, Integer.MAX_VALUE);
        requireRange("log_work_buffer_bytes", logWorkBufferBytes, 1, Long.MAX_VALUE);
        String host = hostname != null && !hostname.isBlank()
                ? hostname.trim()
                : podName != null && !podName.isBlank() ? podName.trim() : "localhost";
        return new PayloadLoggerConfig(
                requestLoggerDefaultEndpoint == null ? "" : requestLoggerDefaultEndpoint.trim(),
                host,
                loggerWorkers,
                logWorkBufferSize,
                logWriteTimeoutMs,
                logWorkBufferBytes);
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
