package dev.seldonj.engine.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One request of a connection at a time, so answers leave in request order (RFC 9112 §9.3.2) whatever each
 * request's latency: the decoder's pieces of a pipelined request wait here, and the socket is not read, until
 * the request before it has been both read and answered. Every answer of the connection reports itself
 * ({@link #answered(Channel)}); the aggregator is then told ({@link #ANSWERED}), and releases the body's
 * share of the memory budget. Keeps {@link ConnectionGuard} informed of where the connection stands.
 */
final class InOrderRequests extends ChannelInboundHandlerAdapter {

    /** The user event the handlers after this one get when the current request has been answered. */
    static final Object ANSWERED = new Object() {
        @Override
        public String toString() {
            return "ANSWERED";
        }
    };

    private static final AttributeKey<InOrderRequests> KEY = AttributeKey.valueOf(InOrderRequests.class, "gate");

    private final ConnectionGuard guard;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>(4);
    private ChannelHandlerContext ctx;
    /** A request has been passed on and is not finished (read to its end and answered). */
    private boolean current;

    private boolean currentRead;
    private boolean currentAnswered;
    private boolean draining;
    /** Inside {@link #pass}: an answer given synchronously there drains after it, not within the handlers' call. */
    private boolean passing;

    private boolean drainAfterPass;

    InOrderRequests(ConnectionGuard guard) {
        this.guard = guard;
    }

    /** The current request of {@code channel} has been answered (from any thread). */
    static void answered(Channel channel) {
        InOrderRequests gate = channel.attr(KEY).get();
        if (gate != null) {
            if (channel.eventLoop().inEventLoop()) {
                gate.answered();
            } else {
                channel.eventLoop().execute(gate::answered);
            }
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(KEY).set(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!waiting.isEmpty() || (current && msg instanceof HttpRequest)) {
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        pass(msg);
    }

    private void pass(Object msg) {
        if (msg instanceof HttpRequest) {
            current = true;
            currentRead = false;
            currentAnswered = false;
            guard.headRead();
        }
        if (msg instanceof LastHttpContent && current && !currentRead) {
            currentRead = true;
            guard.requestRead(currentAnswered);
            if (currentAnswered) {
                current = false;
            }
        }
        boolean outer = !passing;
        passing = true;
        try {
            ctx.fireChannelRead(msg);
        } finally {
            if (outer) {
                passing = false;
                if (drainAfterPass) {
                    drainAfterPass = false;
                    drain();
                }
            }
        }
    }

    private void answered() {
        if (!current || currentAnswered) {
            return;
        }
        currentAnswered = true;
        guard.answered(currentRead);
        ctx.fireUserEventTriggered(ANSWERED);
        if (currentRead) {
            current = false;
            if (passing) {
                drainAfterPass = true;
            } else {
                drain();
            }
        }
    }

    /** Passes on what waited, up to the next request's head that must wait for the current one. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!waiting.isEmpty() && !(current && waiting.peek() instanceof HttpRequest)) {
                pass(waiting.poll());
            }
        } finally {
            draining = false;
        }
        if (waiting.isEmpty()
                && ctx.channel().isActive()
                && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        Object m;
        while ((m = waiting.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }
}
