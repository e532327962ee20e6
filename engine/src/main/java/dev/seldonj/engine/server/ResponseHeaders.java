package dev.seldonj.engine.server;

import dev.seldonj.engine.config.EngineConfig;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;

/** The headers every REST answer may get beyond its own: cross-origin ones and CloudEvents attributes. */
public final class ResponseHeaders {

  private final CorsHeaders cors;
  private final CloudEventHeaders cloudEvents;

  public ResponseHeaders(EngineConfig config) {
    this.cors = new CorsHeaders(config.cors());
    this.cloudEvents = new CloudEventHeaders(config.deploymentName(), config.namespace());
  }

  void add(FullHttpRequest req, String puid, HttpHeaders response) {
    cors.add(req.method(), req.headers(), response);
    cloudEvents.add(req, puid, response);
  }
}
