package dev.seldonj.engine.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A group of REST routes of one protocol (v2, tensorflow, Seldon's per-model status): the
 * {@link RestHandler} asks each group whether it serves a path its own routes did not match.
 */
public interface RestRoutes {

  boolean serves(String path);

  /** Answers the request through {@code rest} (its reply, write and error methods). */
  void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path, long start, RestHandler rest);
}
