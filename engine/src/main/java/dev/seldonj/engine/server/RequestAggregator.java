package dev.seldonj.engine.server;

import dev.seldonj.engine.core.MemoryBudget;
import dev.seldonj.engine.net.BodyPieces;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Assembles a client's request from the decoder's pieces into one {@link FullHttpRequest}, as Netty's
 * {@code HttpObjectAggregator} and {@code HttpServerExpectContinueHandler} did, but for a server whose
 * answers are written as bytes: a body that arrived in one piece is kept as that pooled slice (no
 * composite), {@code Expect: 100-continue} is answered here, and a body over the limit gets 413 (the
 * connection is kept when the client keeps it alive, and the rest of that body is skipped).
 *
 * <p>A gzip or deflate body is inflated here as it arrives ({@link BodyInflater}), piece by piece against
 * the limit, so one that inflates past it costs the limit plus one piece, then gets the same 413; its
 * compressed bytes count against the limit too. The request passed on carries the inflated body, without
 * {@code Content-Encoding}. A body that does not match its encoding is passed on as a
 * {@link DecompressionException} (the handler answers 400 and closes the connection).
 */
final class RequestAggregator extends ChannelInboundHandlerAdapter {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXPECTATION_FAILED =
            ("HTTP/1.1 417 Expectation Failed\r\ncontent-length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOO_LARGE =
            "HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOO_LARGE_CLOSE = ("HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n"
                    + "connection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private static final byte[] RETRY_AFTER = HttpAnswer.ascii("retry-after: 1\r\n");

    private final int maxBodyBytes;
    private final MemoryBudget budget;
    /** Bytes of the memory budget held for the current request's body, until it is answered. */
    private long reserved;
    /** Null while no request is being read, or while the rest of a refused body is skipped. */
    private HttpRequest head;

    private ByteBuf body;
    /** Inflates the body being read when its Content-Encoding is one the engine decodes. */
    private BodyInflater inflater;

    private long compressedBytes;
    /** A body did not match its encoding: the connection is being closed, nothing more is read. */
    private boolean broken;
    /** The last piece refused was refused for the memory budget, not the size limit. */
    private boolean overBudget;

    RequestAggregator(int maxBodyBytes, MemoryBudget budget) {
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (broken) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpObject o && !o.decoderResult().isSuccess()) {
            // A request the decoder cannot read (its head, or a chunk): the decoder reads nothing more on this
            // connection, so one exact answer, and the connection is closed.
            reset();
            broken = true;
            ReferenceCountUtil.release(msg);
            ClosingAnswer.malformed(ctx, o.decoderResult().cause());
            InOrderRequests.answered(ctx.channel());
            return;
        }
        try {
            if (msg instanceof HttpRequest r) {
                start(ctx, r);
            } else if (msg instanceof HttpContent c) {
                content(ctx, c);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest r) {
        reset();
        String expect = r.headers().get(HttpHeaderNames.EXPECT);
        boolean expectsContinue = false;
        if (expect != null && r.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0) {
            // As Netty's HttpServerExpectContinueHandler: 100-continue is the one expectation known.
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(EXPECTATION_FAILED), ctx.voidPromise());
                InOrderRequests.answered(ctx.channel());
                return;
            }
            expectsContinue = true;
        }
        long length = HttpUtil.getContentLength(r, -1L);
        if (length > maxBodyBytes) {
            tooLarge(ctx, r, expectsContinue);
            return;
        }
        if (length > 0 && !reserve(length)) {
            overloaded(ctx, r, expectsContinue);
            return;
        }
        if (expectsContinue) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE), ctx.voidPromise());
            r.headers().remove(HttpHeaderNames.EXPECT);
        }
        head = r;
        inflater = BodyInflater.forEncoding(r.headers().get(HttpHeaderNames.CONTENT_ENCODING));
    }

    private void content(ChannelHandlerContext ctx, HttpContent c) {
        if (head == null) {
            return;
        }
        boolean last = c instanceof LastHttpContent;
        boolean withinLimit;
        try {
            withinLimit = inflater == null ? append(c.content(), ctx.alloc()) : inflate(c.content(), last, ctx.alloc());
        } catch (DecompressionException e) {
            reset();
            broken = true;
            ctx.fireExceptionCaught(e);
            return;
        }
        if (!withinLimit) {
            HttpRequest r = head;
            boolean refusedForBudget = overBudget;
            reset();
            if (refusedForBudget) {
                overloaded(ctx, r, false);
            } else {
                tooLarge(ctx, r, false);
            }
            return;
        }
        if (last) {
            HttpRequest r = head;
            ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body;
            if (inflater != null) {
                // The body is plain now: no Content-Encoding, and the length it inflated to.
                r.headers()
                        .remove(HttpHeaderNames.CONTENT_ENCODING)
                        .remove(HttpHeaderNames.TRANSFER_ENCODING)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
                closeInflater();
            }
            head = null;
            body = null;
            FullHttpRequest full = new DefaultFullHttpRequest(
                    r.protocolVersion(),
                    r.method(),
                    r.uri(),
                    content,
                    r.headers(),
                    ((LastHttpContent) c).trailingHeaders());
            // A request the decoder failed on keeps its failure: the handler answers it.
            if (!r.decoderResult().isSuccess()) {
                full.setDecoderResult(r.decoderResult());
            }
            ctx.fireChannelRead(full);
        }
    }

    /**
     * Adds a piece to the body; false, keeping nothing, when it would take the body over the limit (checked
     * before appending: a composite at the limit is never consolidated for a body about to be dropped).
     */
    private boolean append(ByteBuf piece, ByteBufAllocator alloc) {
        if (!piece.isReadable()) {
            return true;
        }
        long size = (body == null ? 0L : body.readableBytes()) + piece.readableBytes();
        if (size > maxBodyBytes) {
            return false;
        }
        if (size > reserved && !reserve(size)) {
            overBudget = true;
            return false;
        }
        body = BodyPieces.append(body, piece, alloc);
        return true;
    }

    /** Inflates the next compressed bytes onto the body; false when they or what they inflate to go over the limit. */
    private boolean inflate(ByteBuf compressed, boolean last, ByteBufAllocator alloc) {
        compressedBytes += compressed.readableBytes();
        if (compressedBytes > maxBodyBytes) {
            return false;
        }
        Predicate<ByteBuf> onto = piece -> append(piece, alloc);
        return inflater.inflate(compressed, alloc, onto) && (!last || inflater.finish(onto));
    }

    private void closeInflater() {
        if (inflater != null) {
            inflater.close();
            inflater = null;
        }
        compressedBytes = 0;
    }

    /** As HttpObjectAggregator: 413, and the connection closed unless the client keeps it alive. */
    private void tooLarge(ChannelHandlerContext ctx, HttpRequest r, boolean expectsContinue) {
        if (!expectsContinue && !HttpUtil.isKeepAlive(r)) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_LARGE_CLOSE)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_LARGE)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
        InOrderRequests.answered(ctx.channel());
    }

    /**
     * The body does not fit in the memory budget: 503 with Retry-After before (or instead of) holding it; the
     * rest of the body is skipped, as after a 413, so the client reads the answer rather than a reset.
     */
    private void overloaded(ChannelHandlerContext ctx, HttpRequest r, boolean expectsContinue) {
        releaseReservation();
        HttpAnswer.send(
                ctx,
                r,
                HttpResponseStatus.SERVICE_UNAVAILABLE,
                RETRY_AFTER,
                HttpHeaderValues.APPLICATION_JSON,
                Unpooled.wrappedBuffer(SeldonStatus.failure(MemoryBudget.overloaded())),
                true,
                null);
    }

    /** Holds {@code total} bytes of the budget for this body (more as it grows); false when they do not fit. */
    private boolean reserve(long total) {
        if (total <= reserved) {
            return true;
        }
        if (!budget.tryReserve(total - reserved)) {
            return false;
        }
        reserved = total;
        return true;
    }

    private void releaseReservation() {
        budget.release(reserved);
        reserved = 0;
        overBudget = false;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == InOrderRequests.ANSWERED) {
            // The request's body is no longer held for it (a component call still writing it holds it briefly).
            releaseReservation();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void reset() {
        releaseReservation();
        head = null;
        closeInflater();
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reset();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        reset();
    }
}
