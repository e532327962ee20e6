package dev.seldonj.engine.client;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.MemoryBudget;
import dev.seldonj.engine.net.BodyPieces;
import dev.seldonj.engine.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive HTTP/1.1 connections to one component, pooled per event loop: a call made on a loop
 * uses (and returns) a connection owned by that loop, so no locks and no thread hops. A connection
 * carries one exchange at a time; a timed-out or failed connection is closed, never reused. Nothing
 * is retried.
 *
 * <p>Requests go out as bytes the caller wrote (no encoder); answers are read by {@link HttpAnswerParser}
 * straight from the read buffers: a body that arrives in one piece is kept as that pooled slice, a longer
 * one as a composite of them. Timeouts: every call of a pool has the same timeout, so the calls in
 * flight on a loop expire in the order they started; one timer per loop fires at the oldest deadline.
 */
public final class HttpConnectionPool {

    /**
     * One call: completed exactly once, on its connection's event loop, with the answer or an error
     * naming the node. Subclasses turn the answer into what their caller waits for.
     */
    public abstract static class Exchange {
        private Exchange prev;
        private Exchange next;
        private long deadline;
        private Connection connection;
        private String what;

        /** The component answered; the body (possibly empty) is the callee's to release. */
        protected abstract void completed(int status, ByteBuf body, String contentType);

        protected abstract void failed(EngineException error);
    }

    private static final int MAX_IDLE_PER_LOOP = 512;

    private final String node;
    private final String host;
    private final int port;
    private final long timeoutNanos;
    private final long timeoutMs;
    private final int maxBodyBytes;
    private final Bootstrap bootstrap;
    private final ConcurrentHashMap<EventLoop, Loop> loops = new ConcurrentHashMap<>();

    public HttpConnectionPool(
            String node,
            String host,
            int port,
            NettyTransport transport,
            int maxBodyBytes,
            int connectTimeoutMs,
            long timeoutMs) {
        this.node = node;
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.maxBodyBytes = maxBodyBytes;
        this.bootstrap = new Bootstrap()
                .group(transport.group())
                .channel(transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, transport.allocator())
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .remoteAddress(host, port)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection(ch, loop(ch.eventLoop())));
                    }
                });
    }

    public String address() {
        return host + ":" + port;
    }

    /**
     * Sends one request on a pooled connection of {@code loop}: {@code head} (start line and headers)
     * then {@code body} (null when the head holds everything). Both are released by the write.
     * {@code what} names the call in errors ({@code POST /predict}).
     */
    public void exchange(EventLoop loop, ByteBuf head, ByteBuf body, String what, Exchange exchange) {
        exchange.what = what;
        if (loop.inEventLoop()) {
            start(loop, head, body, exchange);
        } else {
            loop.execute(() -> start(loop, head, body, exchange));
        }
    }

    private Loop loop(EventLoop eventLoop) {
        Loop l = loops.get(eventLoop);
        return l != null ? l : loops.computeIfAbsent(eventLoop, Loop::new);
    }

    private void start(EventLoop eventLoop, ByteBuf head, ByteBuf body, Exchange exchange) {
        Loop loop = loop(eventLoop);
        Connection c;
        while ((c = loop.idle.pollLast()) != null) {
            if (c.channel.isActive()) {
                c.send(exchange, head, body);
                return;
            }
        }
        bootstrap.clone(eventLoop).connect().addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                ((Connection) f.channel().pipeline().last()).send(exchange, head, body);
            } else {
                ReferenceCountUtil.release(head);
                ReferenceCountUtil.release(body);
                exchange.failed(unavailable(f.cause()));
            }
        });
    }

    private EngineException unavailable(Throwable cause) {
        if (cause instanceof OutOfMemoryError) {
            return MemoryBudget.overloaded();
        }
        // The operating system's words (connection reset by peer, ...), never a library's internals.
        String why = cause instanceof ConnectException
                ? "connection refused"
                : cause instanceof ConnectTimeoutException
                        ? "connect timed out"
                        : cause instanceof IOException && cause.getMessage() != null
                                ? cause.getMessage()
                                : "connection failed";
        return new EngineException(
                EngineException.Kind.UNAVAILABLE, "node '" + node + "' is unavailable at " + address() + ": " + why);
    }

    /** One event loop's share of the pool: its idle connections and its calls in flight, oldest first. */
    private final class Loop {
        private final EventLoop eventLoop;
        private final ArrayDeque<Connection> idle = new ArrayDeque<>();
        private final Runnable expire = this::expire;
        private Exchange first;
        private Exchange last;
        private ScheduledFuture<?> timer;

        Loop(EventLoop eventLoop) {
            this.eventLoop = eventLoop;
        }

        void track(Exchange e) {
            e.deadline = System.nanoTime() + timeoutNanos;
            e.prev = last;
            e.next = null;
            if (last == null) {
                first = e;
            } else {
                last.next = e;
            }
            last = e;
            if (timer == null) {
                timer = eventLoop.schedule(expire, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }

        void untrack(Exchange e) {
            if (e.prev == null) {
                first = e.next;
            } else {
                e.prev.next = e.next;
            }
            if (e.next == null) {
                last = e.prev;
            } else {
                e.next.prev = e.prev;
            }
            e.prev = null;
            e.next = null;
        }

        /** Fails every call past its deadline; sleeps until the next one's (a finished call is simply unlinked). */
        private void expire() {
            timer = null;
            long now = System.nanoTime();
            while (first != null && first.deadline - now <= 0) {
                Exchange e = first;
                untrack(e);
                e.connection.timeout(e);
            }
            if (first != null) {
                timer = eventLoop.schedule(expire, first.deadline - now, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** A connection's exchange in flight and the pieces of its answer so far. */
    private final class Connection extends ChannelInboundHandlerAdapter implements HttpAnswerParser.Listener {
        private final Channel channel;
        private final Loop loop;
        private final HttpAnswerParser parser = new HttpAnswerParser(this);
        private Exchange current;
        private int status;
        private String contentType;
        private ByteBuf body;
        /** Memory budget held for the answer being read; handed over to the request when it is complete. */
        private long reserved;

        Connection(Channel channel, Loop loop) {
            this.channel = channel;
            this.loop = loop;
        }

        void send(Exchange e, ByteBuf head, ByteBuf requestBody) {
            current = e;
            e.connection = this;
            parser.start();
            loop.track(e);
            if (requestBody == null) {
                channel.writeAndFlush(head, channel.voidPromise());
            } else {
                channel.write(head, channel.voidPromise());
                channel.writeAndFlush(requestBody, channel.voidPromise());
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (current == null || !(msg instanceof ByteBuf in)) {
                    channel.close(); // nothing was asked: not an answer to read
                    return;
                }
                parser.feed(in);
            } catch (HttpAnswerParser.InvalidHttp e) {
                fail(new EngineException(
                        EngineException.Kind.INVALID_RESPONSE,
                        "node '" + node + "' answered " + (current == null ? "" : current.what + " ")
                                + "with invalid HTTP: " + e.getMessage()));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void head(int code, String type, long contentLength) {
            status = code;
            contentType = type;
            if (contentLength > maxBodyBytes) {
                tooLarge();
            } else if (contentLength > 0 && !reserve(contentLength)) {
                fail(MemoryBudget.overloaded());
            }
        }

        private boolean reserve(long total) {
            if (total <= reserved) {
                return true;
            }
            if (!MemoryBudget.global().tryReserve(total - reserved)) {
                return false;
            }
            reserved = total;
            return true;
        }

        private void releaseReservation() {
            MemoryBudget.global().release(reserved);
            reserved = 0;
        }

        @Override
        public void content(ByteBuf piece) {
            if (piece.isReadable()) {
                long size = (body == null ? 0L : body.readableBytes()) + piece.readableBytes();
                if (size > maxBodyBytes) {
                    tooLarge();
                } else if (!reserve(size)) {
                    fail(MemoryBudget.overloaded());
                } else {
                    body = BodyPieces.append(body, piece, channel.alloc());
                }
            }
        }

        @Override
        public void end(boolean reusable) {
            Exchange e = current;
            ByteBuf answer = body == null ? Unpooled.EMPTY_BUFFER : body;
            current = null;
            body = null;
            releaseReservation(); // the request that takes the answer holds it from here (RequestContext.own)
            loop.untrack(e);
            if (reusable && channel.isActive() && loop.idle.size() < MAX_IDLE_PER_LOOP) {
                loop.idle.addLast(this);
            } else {
                channel.close();
            }
            e.completed(status, answer, contentType);
        }

        private void tooLarge() {
            fail(new EngineException(
                    EngineException.Kind.INVALID_RESPONSE,
                    "node '" + node + "' answered " + current.what + " with a body larger than the limit"));
        }

        void timeout(Exchange e) {
            if (current == e) {
                current = null;
                parser.abandon();
                discardBody();
                channel.close();
                e.failed(new EngineException(
                        EngineException.Kind.TIMEOUT,
                        "node '" + node + "' did not answer " + e.what + " within " + timeoutMs + " ms"));
            }
        }

        /** Ends the exchange in flight (if any) with {@code error} and closes the connection. */
        private void fail(EngineException error) {
            Exchange e = current;
            current = null;
            parser.abandon();
            discardBody();
            channel.close();
            if (e != null) {
                loop.untrack(e);
                e.failed(error);
            }
        }

        private void discardBody() {
            releaseReservation();
            if (body != null) {
                body.release();
                body = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // A body delimited by the close ends here; any other answer in flight was cut short.
            if (current != null && !parser.inputClosed()) {
                fail(new EngineException(
                        EngineException.Kind.UNAVAILABLE,
                        "node '" + node + "' closed the connection during " + current.what));
            }
            discardBody();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(unavailable(cause));
        }
    }
}
