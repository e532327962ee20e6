package dev.seldonj.engine.server;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Headers factory for messages whose header names and values the engine writes itself (responses to
 * clients, requests to components) or only reads for framing (component answers): Netty's per-header
 * token validation was ~8% of a small request's CPU. Values copied from a client's request were
 * already validated by the server's decoder, which keeps validating.
 */
public final class OwnHeaders {

  public static final HttpHeadersFactory FACTORY = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  public static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

  private OwnHeaders() {}
}
