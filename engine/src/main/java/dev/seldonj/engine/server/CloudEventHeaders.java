package dev.seldonj.engine.server;

import dev.seldonj.engine.exec.RequestContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * CloudEvents attributes on the answer to a request that carries {@code Ce-Specversion}, with the
 * values of Seldon's executor ({@code middlewares.go}): {@code Ce-Id} the puid, {@code Ce-Specversion}
 * 0.3, {@code Ce-Path} the request path, {@code Ce-Type seldon.<sdep>.<namespace>.response} and
 * {@code Ce-Source seldon.<sdep>}.
 */
final class CloudEventHeaders {

  private static final AsciiString SPECVERSION = AsciiString.cached("Ce-Specversion");
  private static final AsciiString ID = AsciiString.cached("Ce-Id");
  private static final AsciiString PATH = AsciiString.cached("Ce-Path");
  private static final AsciiString TYPE = AsciiString.cached("Ce-Type");
  private static final AsciiString SOURCE = AsciiString.cached("Ce-Source");
  private static final AsciiString VERSION = AsciiString.cached("0.3");

  private final AsciiString type;
  private final AsciiString source;

  CloudEventHeaders(String deployment, String namespace) {
    this.type = AsciiString.of("seldon." + deployment + "." + namespace + ".response");
    this.source = AsciiString.of("seldon." + deployment);
  }

  /** {@code puid}: the request's, when it has one by now; else the client's header, else a new one. */
  void add(FullHttpRequest req, String puid, HttpHeaders response) {
    HttpHeaders request = req.headers();
    if (!request.contains(SPECVERSION)) {
      return;
    }
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String id = puid != null ? puid : request.get(InboundHeaders.PUID);
    response.set(ID, id == null || id.isEmpty() ? RequestContext.newPuid() : id)
        .set(SPECVERSION, VERSION)
        .set(PATH, path)
        .set(TYPE, type)
        .set(SOURCE, source);
  }
}
