package dev.seldonj.engine.server;

import dev.seldonj.engine.config.CorsPolicy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import java.util.Set;

/**
 * Cross-origin headers from the configured {@link CorsPolicy}, on answers to browsers: requests that
 * carry {@code Origin}, and preflights ({@code OPTIONS}, answered by the engine itself). An origin
 * outside the allowed list gets no {@code Access-Control-Allow-Origin}, so the browser blocks it.
 */
final class CorsHeaders {

  private static final AsciiString ANY = AsciiString.cached("*");
  private static final AsciiString METHODS = AsciiString.cached("GET, OPTIONS, POST");
  private static final AsciiString ORIGIN = AsciiString.cached("Origin");

  private final boolean anyOrigin;
  private final Set<String> origins;
  private final AsciiString allowedHeaders;

  CorsHeaders(CorsPolicy policy) {
    this.anyOrigin = policy.anyOrigin();
    this.origins = Set.copyOf(policy.allowedOrigins());
    this.allowedHeaders = AsciiString.of(policy.allowedHeaders());
  }

  void add(HttpMethod method, HttpHeaders request, HttpHeaders response) {
    String origin = request.get(HttpHeaderNames.ORIGIN);
    if (origin == null && method != HttpMethod.OPTIONS) {
      return;
    }
    if (anyOrigin) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY);
    } else if (origin != null && origins.contains(origin)) {
      response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin).set(HttpHeaderNames.VARY, ORIGIN);
    } else {
      return;
    }
    response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowedHeaders);
  }
}
