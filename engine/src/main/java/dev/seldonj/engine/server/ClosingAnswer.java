package dev.seldonj.engine.server;

import dev.seldonj.engine.net.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.concurrent.TimeUnit;

/**
 * The answers after which a client connection cannot go on (a request that cannot be parsed, a body that
 * does not match its encoding, a request that stalled): one exact status with a Seldon status body and
 * {@code connection: close}, then the connection is closed. Their text names the problem, never a library's.
 */
final class ClosingAnswer {

    private ClosingAnswer() {}

    /** What a request the decoder could not read gets: 414, 431 or 400, with the reason in words. */
    static void malformed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            send(
                    ctx,
                    HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    "the request line is longer than the " + EngineRestServer.MAX_INITIAL_LINE + " bytes allowed",
                    "URI_TOO_LONG");
        } else if (cause instanceof TooLongHttpHeaderException) {
            send(
                    ctx,
                    HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "the request's headers are larger than the " + EngineRestServer.MAX_HEADER_BYTES + " bytes allowed",
                    "HEADERS_TOO_LARGE");
        } else if (cause instanceof TooLongFrameException) {
            send(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: a line is too long", "BAD_HTTP_REQUEST");
        } else {
            send(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + describe(cause), "BAD_HTTP_REQUEST");
        }
    }

    /** The decoder's complaint in words a client can act on (Netty's texts, except where they name Java types). */
    static String describe(Throwable cause) {
        if (cause instanceof NumberFormatException) {
            return "invalid chunk size";
        }
        String m = cause.getMessage();
        if (m != null && m.startsWith("Content-Length are not allowed")) {
            return "Content-Length and Transfer-Encoding together are not allowed";
        }
        if (m != null && m.startsWith("No colon found")) {
            return "a header line has no colon";
        }
        if (m == null || m.isBlank() || m.contains("Exception") || m.contains("java.")) {
            return "the request does not follow HTTP/1.1";
        }
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String info, String reason) {
        byte[] body = SeldonStatus.failure(status.code(), info, reason);
        ByteBuf out = ctx.alloc().buffer(160 + body.length);
        HttpHead.statusLine(out, status);
        HttpHead.header(out, HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpHead.header(out, HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
        HttpHead.header(out, HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpHead.end(out);
        out.writeBytes(body);
        ConnectionGuard guard = ctx.pipeline().get(ConnectionGuard.class);
        if (guard != null) {
            guard.discardInput();
        }
        ctx.writeAndFlush(out).addListener((ChannelFutureListener) f -> lingeringClose(f.channel()));
    }

    /**
     * Closes after the answer without resetting it away: a socket closed with unread bytes (the rest of a
     * 100 KB head, a body) sends a reset, which may destroy the answer before the client reads it. So the
     * engine's side is shut, what still arrives is read and dropped, and the connection is closed when the
     * client closes it, or after {@link #LINGER_MS} at the latest.
     */
    private static void lingeringClose(Channel channel) {
        if (channel instanceof DuplexChannel duplex && channel.isActive()) {
            duplex.shutdownOutput().addListener(done -> {
                if (channel.isActive()) {
                    channel.eventLoop()
                            .schedule(
                                    () -> {
                                        channel.close();
                                    },
                                    LINGER_MS,
                                    TimeUnit.MILLISECONDS);
                }
            });
        } else {
            channel.close();
        }
    }

    static final long LINGER_MS = 2_000;
}
