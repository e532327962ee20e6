package dev.seldonj.engine.server;

import dev.seldonj.engine.net.HttpHead;
import dev.seldonj.engine.net.InboundHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Writes the engine's HTTP answers as bytes, with the headers and the layout Netty's response
 * encoder gave them: {@code [lead] content-type content-length [nosniff] [Seldon-Puid] [CORS]
 * [Ce-*] [connection]}. No body for HEAD, 204 and 304 (and no content-length for 204), as the encoder; the
 * connection closes after the answer unless the request keeps it alive.
 */
final class HttpAnswer {

    private static final byte[] CONTENT_TYPE = HttpHead.name("content-type");
    private static final byte[] CONTENT_LENGTH = HttpHead.name("content-length");
    private static final byte[] PUID = HttpHead.name(InboundHeaders.PUID);
    private static final byte[] NOSNIFF = ascii("X-Content-Type-Options: nosniff\r\n");
    private static final byte[] KEEP_ALIVE = ascii("connection: keep-alive\r\n");
    private static final byte[] CLOSE = ascii("connection: close\r\n");
    /** Up to this size the body is copied behind the head: one buffer, one write. */
    private static final int COPY_MAX = 2048;

    private HttpAnswer() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param lead header lines that come first (e.g. {@code allow}, {@code location}), or null
     * @param body released here
     */
    static void send(
            ChannelHandlerContext ctx,
            HttpRequest req,
            HttpResponseStatus status,
            byte[] lead,
            CharSequence contentType,
            ByteBuf body,
            boolean nosniff,
            String puid) {
        send(ctx, req, status, lead, contentType, body, nosniff, puid, null);
    }

    /** @param extra the cross-origin and CloudEvents headers the request asks for, or null for none */
    static void send(
            ChannelHandlerContext ctx,
            HttpRequest req,
            HttpResponseStatus status,
            byte[] lead,
            CharSequence contentType,
            ByteBuf body,
            boolean nosniff,
            String puid,
            ResponseHeaders extra) {
        int code = status.code();
        boolean noLength = code == 204 || code / 100 == 1;
        boolean noBody = noLength || code == 304 || req.method() == HttpMethod.HEAD;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        int length = body.readableBytes();
        boolean copy = noBody || length <= COPY_MAX;
        ByteBuf out = ctx.alloc().buffer(256 + (copy && !noBody ? length : 0));
        try {
            HttpHead.statusLine(out, status);
            if (lead != null) {
                out.writeBytes(lead);
            }
            if (contentType != null) {
                HttpHead.header(out, CONTENT_TYPE, contentType);
            }
            if (!noLength) {
                HttpHead.header(out, CONTENT_LENGTH, length);
            }
            if (nosniff) {
                out.writeBytes(NOSNIFF);
            }
            if (puid != null) {
                HttpHead.header(out, PUID, puid);
            }
            if (extra != null) {
                extra.write(req, puid, out);
            }
            if (!keepAlive) {
                out.writeBytes(CLOSE);
            } else if (req.protocolVersion() == HttpVersion.HTTP_1_0) {
                out.writeBytes(KEEP_ALIVE);
            }
            HttpHead.end(out);
            if (copy && !noBody) {
                out.writeBytes(body);
            }
        } catch (RuntimeException e) {
            out.release();
            body.release();
            throw e;
        }
        ChannelFuture written;
        if (copy) {
            body.release();
            written = ctx.writeAndFlush(out, keepAlive ? ctx.voidPromise() : ctx.newPromise());
        } else {
            ctx.write(out, ctx.voidPromise());
            written = ctx.writeAndFlush(body, keepAlive ? ctx.voidPromise() : ctx.newPromise());
        }
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        InOrderRequests.answered(ctx.channel());
    }
}
