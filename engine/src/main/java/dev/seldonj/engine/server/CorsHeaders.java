package dev.seldonj.engine.server;

import dev.seldonj.engine.config.CorsPolicy;
import dev.seldonj.engine.net.HttpHead;
import io.netty.buffer.ByteBuf;
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
    private static final byte[] ALLOW_ORIGIN = HttpHead.name(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
    private static final byte[] VARY = HttpHead.name(HttpHeaderNames.VARY);
    private static final byte[] ALLOW_METHODS = HttpHead.name(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS);
    private static final byte[] ALLOW_HEADERS = HttpHead.name(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS);

    private final boolean anyOrigin;
    private final Set<String> origins;
    private final AsciiString allowedHeaders;

    CorsHeaders(CorsPolicy policy) {
        this.anyOrigin = policy.anyOrigin();
        this.origins = Set.copyOf(policy.allowedOrigins());
        this.allowedHeaders = AsciiString.of(policy.allowedHeaders());
    }

    /** Writes the header lines (answers are written as bytes, {@link HttpAnswer}). */
    void write(HttpMethod method, HttpHeaders request, ByteBuf out) {
        String origin = request.get(HttpHeaderNames.ORIGIN);
        if (origin == null && method != HttpMethod.OPTIONS) {
            return;
        }
        if (anyOrigin) {
            HttpHead.header(out, ALLOW_ORIGIN, ANY);
        } else if (origin != null && origins.contains(origin)) {
            HttpHead.header(out, ALLOW_ORIGIN, origin);
            HttpHead.header(out, VARY, ORIGIN);
        } else {
            return;
        }
        HttpHead.header(out, ALLOW_METHODS, METHODS);
        HttpHead.header(out, ALLOW_HEADERS, allowedHeaders);
    }
}
