package dev.seldonj.engine.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of a client connection: the time limits on what the engine waits for from a client.
 * From the first byte of a request to the end of its head, {@code --header_read_timeout_ms} (slowloris); while a
 * body is being read, or between requests, {@code --idle_timeout_ms} without a byte. A request cut off gets
 * 408 and the connection is closed; an idle keep-alive connection is simply closed. While the engine is
 * working on a request, the component timeouts apply instead. One timer per connection at a time, re-armed
 * lazily (a read only records its time), as Netty's {@code IdleStateHandler}.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    private enum Phase {
        AWAIT,
        HEAD,
        BODY,
        BUSY
    }

    private final long headerNanos;
    private final long idleNanos;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.AWAIT;
    private long headStart;
    private long lastRead;
    private ScheduledFuture<?> timer;
    private boolean closed;
    private boolean discarding;

    ConnectionGuard(long headerReadTimeoutMs, long idleTimeoutMs) {
        this.headerNanos = TimeUnit.MILLISECONDS.toNanos(headerReadTimeoutMs);
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastRead = System.nanoTime();
        arm(Math.min(headerNanos, idleNanos));
        ctx.fireChannelActive();
    }

    /** After an answer that ends the connection: what still arrives is dropped until it closes. */
    void discardInput() {
        discarding = true;
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastRead = System.nanoTime();
        if (phase == Phase.AWAIT) {
            phase = Phase.HEAD;
            headStart = lastRead;
        }
        ctx.fireChannelRead(msg);
    }

    /** A request's head has been read: its body (if any) follows. */
    void headRead() {
        phase = Phase.BODY;
    }

    /** The request has been read whole: the engine works on it (or has answered it: {@code answered}). */
    void requestRead(boolean answered) {
        phase = answered ? Phase.AWAIT : Phase.BUSY;
        lastRead = System.nanoTime();
    }

    /** The request has been answered; {@code read} whether its body has been read to its end. */
    void answered(boolean read) {
        phase = read ? Phase.AWAIT : Phase.BODY;
        lastRead = System.nanoTime();
    }

    private void arm(long delayNanos) {
        if (!closed) {
            timer = ctx.executor()
                    .schedule(
                            this::check, Math.max(delayNanos, TimeUnit.MILLISECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        timer = null;
        if (closed || !ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        long deadline = switch (phase) {
            case AWAIT, BODY -> lastRead + idleNanos;
            case HEAD -> headStart + headerNanos;
            case BUSY -> now + idleNanos;
        };
        if (deadline - now > 0) {
            arm(deadline - now);
            return;
        }
        closed = true;
        if (phase == Phase.AWAIT) {
            ctx.close();
        } else {
            ClosingAnswer.send(
                    ctx,
                    HttpResponseStatus.REQUEST_TIMEOUT,
                    phase == Phase.HEAD
                            ? "the request's head was not received within " + TimeUnit.NANOSECONDS.toMillis(headerNanos)
                                    + " ms"
                            : "the request's body stalled: nothing received for "
                                    + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms",
                    "REQUEST_TIMEOUT");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }
}
