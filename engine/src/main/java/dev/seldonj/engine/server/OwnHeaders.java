package dev.seldonj.engine.server;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Headers factory without Netty's per-header token validation (~8% of a small request's CPU when it
 * was on for everything), for the component answers the engine only reads for framing. The engine's
 * own messages are written as bytes ({@link HttpHead}); the server keeps validating what clients send.
 */
public final class OwnHeaders {

  public static final HttpHeadersFactory FACTORY = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  public static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

  private OwnHeaders() {}
}
