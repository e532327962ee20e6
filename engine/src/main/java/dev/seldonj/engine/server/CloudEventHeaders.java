package dev.seldonj.engine.server;

import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.net.HttpHead;
import dev.seldonj.engine.net.InboundHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
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
    private static final byte[] ID_NAME = HttpHead.name(ID);
    private static final byte[] SPECVERSION_NAME = HttpHead.name(SPECVERSION);
    private static final byte[] PATH_NAME = HttpHead.name(PATH);
    private static final byte[] TYPE_NAME = HttpHead.name(TYPE);
    private static final byte[] SOURCE_NAME = HttpHead.name(SOURCE);

    private final AsciiString type;
    private final AsciiString source;

    CloudEventHeaders(String deployment, String namespace) {
        this.type = AsciiString.of("seldon." + deployment + "." + namespace + ".response");
        this.source = AsciiString.of("seldon." + deployment);
    }

    /** Writes the header lines; {@code puid}: the request's, when it has one by now; else the client's header, else a new one. */
    void write(HttpRequest req, String puid, ByteBuf out) {
        HttpHeaders request = req.headers();
        if (!request.contains(SPECVERSION)) {
            return;
        }
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String id = puid != null ? puid : request.get(InboundHeaders.PUID);
        HttpHead.header(out, ID_NAME, id == null || id.isEmpty() ? RequestContext.newPuid() : id);
        HttpHead.header(out, SPECVERSION_NAME, VERSION);
        HttpHead.header(out, PATH_NAME, path);
        HttpHead.header(out, TYPE_NAME, type);
        HttpHead.header(out, SOURCE_NAME, source);
    }
}
