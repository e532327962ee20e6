package dev.seldonj.engine.payloadlog;

import dev.seldonj.engine.client.HttpConnectionPool;
import java.net.URI;

/**
 * A payload log sink resolved at start-up: its URL, the request target and Host header events carry,
 * and the keep-alive connections to it (on the logger's own event loop).
 */
record Sink(URI uri, String requestTarget, String hostHeader, HttpConnectionPool pool) {

  static String requestTarget(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  static String hostHeader(URI uri) {
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }
}
