package dev.seldonj.engine.payloadlog;

import dev.seldonj.api.model.Logger;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.engine.config.EngineConfig;
import dev.seldonj.engine.config.PayloadLoggerConfig;
import dev.seldonj.engine.metrics.EngineMetrics;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Payload logging for one engine, set up at start-up: resolves each node's {@code logger} into a
 * {@link NodeLogger} (checking its sink), and owns the delivery workers. The workers and their HTTP
 * client exist only when some node logs; a graph without loggers gets no threads and its nodes no
 * logger, so its requests pay one null check per step.
 */
public final class PayloadLogging implements AutoCloseable {

  private final PayloadLoggerConfig config;
  private final EngineMetrics metrics;
  private final String hostname;
  private final CloudEvent.Origin origin;
  private LogDispatcher dispatcher;

  /**
   * @param deployment the SeldonDeployment ({@code ce-inferenceservicename})
   * @param predictor the predictor ({@code ce-endpoint})
   */
  public PayloadLogging(EngineConfig engine, String deployment, String predictor, EngineMetrics metrics) {
    this.config = engine.payloadLogger();
    this.metrics = metrics;
    this.hostname = config.hostname();
    this.origin = new CloudEvent.Origin(CloudEvent.Origin.sourceUrl(hostname, engine.httpPort()), deployment,
        engine.namespace(), predictor, engine.protocol().wireName());
  }

  /** The node's logger, or null when it has none. Throws naming the node when its sink is unusable. */
  public NodeLogger forNode(PredictiveUnit unit) {
    Logger logger = unit.getLogger();
    if (logger == null) {
      return null;
    }
    String node = unit.getName();
    if (logger.getMode() == null) {
      throw new IllegalArgumentException("node '" + node + "': logger.mode is missing (all, request or response)");
    }
    URI sink = sink(node, logger.getUrl());
    if (dispatcher == null) {
      dispatcher = new LogDispatcher(config.workers(), config.queueSize(), config.queueBytes(),
          config.deliveryTimeoutMs(), origin);
      metrics.loggerQueue(dispatcher::queued);
    }
    return new NodeLogger(node, logger.getMode(), sink, dispatcher, metrics.logger(node, LogType.labels()));
  }

  private URI sink(String node, String url) {
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
      throw new IllegalArgumentException("node '" + node + "': " + where + " '" + value + "' is not a URL: "
          + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("node '" + node + "': " + where + " '" + value
          + "' must be an http:// or https:// URL with a host");
    }
    return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? uri.resolve("/") : uri;
  }

  /** Puts the HTTP port the engine actually listens on into {@code ce-source}. */
  public void serverStarted(int httpPort) {
    if (dispatcher != null) {
      dispatcher.origin(new CloudEvent.Origin(CloudEvent.Origin.sourceUrl(hostname, httpPort),
          origin.inferenceServiceName(), origin.namespace(), origin.endpoint(), origin.protocol()));
    }
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }
}
