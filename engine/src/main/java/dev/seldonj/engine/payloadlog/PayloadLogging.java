package dev.seldonj.engine.payloadlog;

import dev.seldonj.api.model.Logger;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.engine.client.HttpConnectionPool;
import dev.seldonj.engine.config.EngineConfig;
import dev.seldonj.engine.config.KafkaConfig;
import dev.seldonj.engine.config.PayloadLoggerConfig;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.NettyTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Payload logging for one engine, set up at start-up: resolves each node's {@code logger} into a
 * {@link NodeLogger} (checking its sink), and owns the delivery: one event loop of its own and a
 * keep-alive connection pool per sink. They exist only when some node logs; a graph without loggers
 * gets no thread, and its requests pay one null check per step.
 */
public final class PayloadLogging implements AutoCloseable {

    /** Sinks answer CloudEvents with little or nothing; a larger answer fails the event. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final PayloadLoggerConfig config;
    private final EngineMetrics metrics;
    private final String hostname;
    private final CloudEvent.Origin origin;
    private final Map<String, HttpConnectionPool> pools = new HashMap<>();
    private final KafkaConfig kafka;
    private NettyTransport transport;
    private LogDispatcher dispatcher;
    private KafkaSink kafkaSink;

    /**
     * @param deployment the SeldonDeployment ({@code ce-inferenceservicename})
     * @param predictor the predictor ({@code ce-endpoint})
     */
    public PayloadLogging(EngineConfig engine, String deployment, String predictor, EngineMetrics metrics) {
        this(engine, deployment, predictor, metrics, KafkaConfig.NONE);
    }

    /** @param kafka with a Kafka logger, every node's events go to its topic instead of HTTP (as Seldon's executor) */
    public PayloadLogging(
            EngineConfig engine, String deployment, String predictor, EngineMetrics metrics, KafkaConfig kafka) {
        this.kafka = kafka;
        this.config = engine.payloadLogger();
        this.metrics = metrics;
        this.hostname = config.hostname();
        this.origin = new CloudEvent.Origin(
                CloudEvent.Origin.sourceUrl(hostname, engine.httpPort()),
                deployment,
                engine.namespace(),
                predictor,
                engine.protocol().wireName());
    }

    /** The node's logger, or null when it has none. Throws naming the node when its sink is unusable. */
    public NodeLogger forNode(PredictiveUnit unit) {
        Logger logger = unit.getLogger();
        if (logger == null) {
            return null;
        }
        String node = unit.getName();
        if (logger.getMode() == null) {
            throw new IllegalArgumentException(
                    "node '" + node + "': logger.mode is missing (all, request or response)");
        }
        if (dispatcher == null) {
            transport = new NettyTransport(1, "payload-log");
            dispatcher = new LogDispatcher(
                    transport.group().next(),
                    config.workers(),
                    config.queueSize(),
                    config.queueBytes(),
                    config.deliveryTimeoutMs(),
                    origin);
            metrics.loggerQueue(dispatcher::queued);
        }
        if (kafka.logger() != null) {
            if (kafkaSink == null) {
                kafkaSink = new KafkaSink(kafka.logger(), kafka.security(), config.deliveryTimeoutMs());
            }
            return new NodeLogger(
                    node, logger.getMode(), kafkaSink, dispatcher, metrics.logger(node, LogType.labels()));
        }
        URI uri = sinkUrl(node, logger.getUrl());
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        HttpConnectionPool pool = pools.computeIfAbsent(
                uri.getHost() + ":" + port,
                k -> new HttpConnectionPool(
                        "log sink",
                        uri.getHost(),
                        port,
                        transport,
                        MAX_ANSWER_BYTES,
                        (int) Math.min(Integer.MAX_VALUE, config.deliveryTimeoutMs()),
                        config.deliveryTimeoutMs()));
        Sink sink = new HttpSink(uri, Sink.requestTarget(uri), Sink.hostHeader(uri), pool);
        return new NodeLogger(node, logger.getMode(), sink, dispatcher, metrics.logger(node, LogType.labels()));
    }

    private URI sinkUrl(String node, String url) {
        boolean own = url != null && !url.isBlank();
        String where = own ? "logger.url" : "REQUEST_LOGGER_DEFAULT_ENDPOINT";
        String value = own ? url.trim() : config.defaultEndpoint();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("node '" + node + "' has a logger without url and "
                    + "REQUEST_LOGGER_DEFAULT_ENDPOINT is not set: give the logger a url or set the variable");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "node '" + node + "': " + where + " '" + value + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            throw new IllegalArgumentException("node '" + node + "': " + where + " '" + value
                    + "': https sinks are not supported, use an http:// URL");
        }
        if (!scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "node '" + node + "': " + where + " '" + value + "' must be an http:// URL with a host");
        }
        return uri;
    }

    /** Puts the HTTP port the engine actually listens on into {@code ce-source}. */
    public void serverStarted(int httpPort) {
        if (dispatcher != null) {
            dispatcher.origin(new CloudEvent.Origin(
                    CloudEvent.Origin.sourceUrl(hostname, httpPort),
                    origin.inferenceServiceName(),
                    origin.namespace(),
                    origin.endpoint(),
                    origin.protocol()));
        }
    }

    @Override
    public void close() {
        if (dispatcher != null) {
            dispatcher.close();
            if (kafkaSink != null) {
                kafkaSink.close();
            }
            transport.close();
        }
    }
}
