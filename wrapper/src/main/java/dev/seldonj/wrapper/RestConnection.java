package dev.seldonj.wrapper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One REST connection, all on its event loop: reads each request's head and body within the limits and deadlines
 * of {@link WrapperLimits}, hands complete requests to the workers, and writes the answers in request order
 * (pipelining). A request that cannot be read to its end (malformed, too large, too slow) gets one error answer
 * after the answers before it, then the connection is closed.
 *
 * <p>Phases: {@code HEAD} (a head is due: {@code headerReadTimeoutMs}), {@code BODY} (a body is being read: it must
 * keep {@code minBodyBytesPerSecond} after {@code bodyReadTimeoutMs}), {@code AWAIT} (the request is read; its
 * answer is pending: no deadline, the component takes its time), {@code IDLE} (nothing in flight:
 * {@code idleTimeoutMs}), {@code CLOSING} (input is read and dropped until the client closes or a short linger ends).
 */
final class RestConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RestConnection.class);
    /** How long a refused client has to read its answer before the connection is closed under it. */
    private static final long LINGER_MS = 2_000;
    /** Pipelined requests read ahead of their answers before reading pauses. */
    private static final int MAX_PIPELINED = 16;

    private enum Phase {
        HEAD,
        BODY,
        AWAIT,
        IDLE,
        CLOSING
    }

    private final RestHandler handler;
    private final Executor workers;
    private final Semaphore admission;
    private final BodyBudget budget;
    private final WrapperLimits limits;

    private ChannelHandlerContext ctx;
    private Phase phase = Phase.HEAD;
    private boolean headBytesSeen;
    private ScheduledFuture<?> deadline;
    private Request reading;
    private long nextSeq;
    private long nextToWrite;
    private final Map<Long, Pending> ready = new HashMap<>();
    private boolean closed;

    RestConnection(
            RestHandler handler, Executor workers, Semaphore admission, BodyBudget budget, WrapperLimits limits) {
        this.handler = handler;
        this.workers = workers;
        this.admission = admission;
        this.budget = budget;
        this.limits = limits;
    }

    /** A request being read: its head, and its body as it arrives (bytes taken from the budget as they come). */
    private static final class Request {
        final long seq;
        final String method;
        final String uri;
        final HttpHeaders headers;
        final boolean keepAlive;
        /** HTTP/1.0 keeps a connection only when the answer says so ({@code Connection: keep-alive}). */
        final boolean http10;

        final long declaredLength;
        final long startedNanos = System.nanoTime();
        byte[] body;
        int length;
        long reserved;

        Request(long seq, HttpRequest head, long declaredLength) {
            this.seq = seq;
            this.method = head.method().name();
            this.uri = head.uri();
            this.headers = head.headers();
            this.keepAlive = HttpUtil.isKeepAlive(head);
            this.http10 = head.protocolVersion().equals(HttpVersion.HTTP_1_0);
            this.declaredLength = declaredLength;
            this.body = new byte[(int) Math.max(0, Math.min(declaredLength, 64 * 1024))];
        }

        void append(ByteBuf content) {
            int n = content.readableBytes();
            if (length + n > body.length) {
                body = Arrays.copyOf(body, (int) Math.max(
                        length + n, Math.min(Integer.MAX_VALUE - 8, Math.max(declaredLength, 2L * body.length))));
            }
            content.readBytes(body, length, n);
            length += n;
        }

        byte[] bytes() {
            return length == body.length ? body : Arrays.copyOf(body, length);
        }
    }

    private record Pending(RestAnswer answer, boolean keepAlive, boolean http10) {}

    /** Sits before the HTTP decoder: notices the first bytes of a head and drops input once the connection closes. */
    ChannelInboundHandlerAdapter rawReads() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (phase == Phase.CLOSING) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                if (phase == Phase.IDLE || phase == Phase.AWAIT) {
                    phase = Phase.HEAD;
                    headBytesSeen = true;
                    arm(limits.headerReadTimeoutMs(), RestConnection.this::headTimedOut);
                } else if (phase == Phase.HEAD) {
                    headBytesSeen = true;
                }
                c.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        phase = Phase.HEAD;
        arm(limits.headerReadTimeoutMs(), this::headTimedOut);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (phase == Phase.CLOSING) {
                return;
            }
            if (msg instanceof HttpRequest head) {
                onHead(head);
            }
            if (msg instanceof HttpContent content && phase == Phase.BODY) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            refuse(malformed(head.decoderResult().cause()));
            return;
        }
        if (head.headers().size() > limits.maxHeaderCount()) {
            refuse(RestAnswer.closing(
                    431,
                    "the request has " + head.headers().size() + " header lines, more than the "
                            + limits.maxHeaderCount() + " allowed (SELDONJ_MAX_HEADER_COUNT)",
                    "HEADERS_TOO_LARGE"));
            return;
        }
        if (head.protocolVersion().majorVersion() != 1) {
            refuse(RestAnswer.closing(
                    505,
                    "HTTP/" + head.protocolVersion().majorVersion() + "."
                            + head.protocolVersion().minorVersion() + " is not served here, only HTTP/1.1 and HTTP/1.0",
                    "HTTP_VERSION_NOT_SUPPORTED"));
            return;
        }
        String codings = String.join(",", head.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING));
        if (!codings.isEmpty() && !codings.trim().equalsIgnoreCase("chunked")) {
            // Other codings (gzip, identity, ...) would be read as if they were not there: a body misread, or one
            // framed
            // differently by a proxy in front (request smuggling).
            refuse(RestAnswer.closing(
                    501, "Transfer-Encoding '" + codings + "' is not supported, only 'chunked'", "NOT_IMPLEMENTED"));
            return;
        }
        long declared = HttpUtil.getContentLength(head, -1L);
        reading = new Request(nextSeq++, head, declared);
        if (declared > limits.maxBodyBytes()) {
            refuse(tooLarge());
            return;
        }
        if (declared > 0 && !take(declared)) {
            return;
        }
        if (HttpUtil.is100ContinueExpected(head) && nextToWrite == reading.seq) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        phase = Phase.BODY;
        arm(limits.bodyReadTimeoutMs(), this::bodyDeadline);
    }

    private void onContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            refuse(malformed(content.decoderResult().cause()));
            return;
        }
        Request r = reading;
        int n = content.content().readableBytes();
        if ((long) r.length + n > limits.maxBodyBytes()) {
            refuse(tooLarge());
            return;
        }
        long beyondReserved = r.length + n - r.reserved;
        if (beyondReserved > 0 && !take(beyondReserved)) {
            return;
        }
        r.append(content.content());
        if (content instanceof LastHttpContent) {
            reading = null;
            cancelDeadline();
            phase = Phase.AWAIT;
            dispatch(r);
            if (nextSeq - nextToWrite >= MAX_PIPELINED) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    /** Takes body bytes from the shared budget, or refuses the request (503, closing: the body is not read). */
    private boolean take(long bytes) {
        if (budget.tryTake(bytes)) {
            reading.reserved += bytes;
            return true;
        }
        refuse(RestAnswer.busy(
                "the server holds too many request bodies at once to take this one (" + limits.maxInflightBodyBytes()
                        + " bytes, SELDONJ_MAX_INFLIGHT_BODY_BYTES); retry later",
                "SERVER_BUSY",
                true));
        return false;
    }

    private RestAnswer tooLarge() {
        return RestAnswer.closing(
                413,
                "the request body is larger than the " + limits.maxBodyBytes()
                        + " bytes allowed (SELDONJ_MAX_BODY_BYTES)",
                "PAYLOAD_TOO_LARGE");
    }

    private void dispatch(Request r) {
        if (!admission.tryAcquire()) {
            budget.giveBack(r.reserved);
            complete(
                    r.seq,
                    RestAnswer.busy(
                            "every worker is busy and " + limits.maxQueuedRequests()
                                    + " requests are waiting (SELDONJ_MAX_QUEUED_REQUESTS); retry later",
                            "SERVER_BUSY",
                            false),
                    r.keepAlive,
                    r.http10);
            return;
        }
        Channel channel = ctx.channel();
        try {
            workers.execute(() -> {
                RestAnswer answer;
                try {
                    String target = originForm(r.uri);
                    int q = target.indexOf('?');
                    answer = handler.answer(
                            r.method,
                            new QueryStringDecoder(target).path(),
                            q < 0 ? null : target.substring(q + 1),
                            r.headers::get,
                            r.bytes());
                } catch (RuntimeException e) {
                    answer = RestAnswer.error(400, "malformed request target: " + e.getMessage(), "BAD_HTTP_REQUEST");
                } finally {
                    admission.release();
                    budget.giveBack(r.reserved);
                }
                RestAnswer done = answer;
                try {
                    channel.eventLoop().execute(() -> complete(r.seq, done, r.keepAlive, r.http10));
                } catch (RejectedExecutionException stopping) {
                    // the server is stopping: the connection goes with it
                }
            });
        } catch (RejectedExecutionException e) {
            admission.release();
            budget.giveBack(r.reserved);
            complete(r.seq, RestAnswer.busy("the server is stopping", "SERVER_BUSY", true), false);
        }
    }

    /** The path and query of a request target, also when a client sends the absolute form (a proxy's). */
    private static String originForm(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        URI parsed = URI.create(uri);
        String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
        return parsed.getRawQuery() == null ? path : path + "?" + parsed.getRawQuery();
    }

    /** An answer is ready: writes every answer that is next in request order. */
    private void complete(long seq, RestAnswer answer, boolean keepAlive) {
        complete(seq, answer, keepAlive, false);
    }

    private void complete(long seq, RestAnswer answer, boolean keepAlive, boolean http10) {
        if (closed) {
            return;
        }
        ready.put(seq, new Pending(answer, keepAlive, http10));
        Pending next;
        while ((next = ready.remove(nextToWrite)) != null) {
            nextToWrite++;
            boolean last = next.answer().close() || !next.keepAlive();
            var written = ctx.writeAndFlush(response(next.answer(), last, next.http10()));
            if (last) {
                ready.clear();
                startClosing();
                written.addListener((ChannelFutureListener) f -> lingeringClose(f.channel()));
                return;
            }
        }
        if (!ctx.channel().config().isAutoRead() && nextSeq - nextToWrite < MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(true);
        }
        if (phase == Phase.AWAIT && nextToWrite == nextSeq) {
            phase = Phase.IDLE;
            arm(limits.idleTimeoutMs(), this::idleTimedOut);
        }
    }

    private static FullHttpResponse response(RestAnswer a, boolean close, boolean http10) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(a.status()), Unpooled.wrappedBuffer(a.body()));
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, a.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
        if (a.retryAfterSeconds() > 0) {
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, a.retryAfterSeconds());
        }
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return r;
    }

    /** The request cannot be read to its end: its answer goes out in turn, then the connection closes. */
    private void refuse(RestAnswer answer) {
        long seq;
        boolean keepAlive = false;
        if (reading != null) {
            seq = reading.seq;
            budget.giveBack(reading.reserved);
            reading = null;
        } else {
            seq = nextSeq++;
        }
        startClosing();
        complete(seq, answer, keepAlive);
    }

    private void startClosing() {
        phase = Phase.CLOSING;
        cancelDeadline();
        ctx.channel().config().setAutoRead(true); // read and drop the rest, so the answer is not lost to a reset
    }

    /**
     * Closes after the answer without resetting it away: a socket closed with unread bytes (the rest of a large head,
     * a body) sends a reset, which may destroy the answer before the client reads it. So our side is shut, what still
     * arrives is dropped, and the connection closes when the client closes it, or after {@link #LINGER_MS}.
     */
    private static void lingeringClose(Channel channel) {
        if (channel instanceof DuplexChannel duplex && channel.isActive()) {
            duplex.shutdownOutput();
            channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }

    private RestAnswer malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return RestAnswer.closing(
                    414,
                    "the request line is longer than the " + limits.maxInitialLineBytes()
                            + " bytes allowed (SELDONJ_MAX_INITIAL_LINE_BYTES)",
                    "URI_TOO_LONG");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return RestAnswer.closing(
                    431,
                    "the request's headers are larger than the " + limits.maxHeaderBytes()
                            + " bytes allowed (SELDONJ_MAX_HEADER_BYTES)",
                    "HEADERS_TOO_LARGE");
        }
        if (cause instanceof TooLongFrameException) {
            return RestAnswer.closing(400, "malformed HTTP request: a line is too long", "BAD_HTTP_REQUEST");
        }
        return RestAnswer.closing(400, "malformed HTTP request: " + describe(cause), "BAD_HTTP_REQUEST");
    }

    /** The decoder's complaint in words a client can act on, never a Java type name. */
    static String describe(Throwable cause) {
        String m = cause.getMessage();
        if (cause instanceof NumberFormatException) {
            return "invalid chunk size";
        }
        if (m != null && m.startsWith("Content-Length are not allowed")) {
            return "Content-Length and Transfer-Encoding together are not allowed";
        }
        if (m != null && m.startsWith("No colon found")) {
            return "a header line has no colon";
        }
        if (m != null && m.contains("Multiple Content-Length")) {
            return "more than one Content-Length";
        }
        if (m == null || m.isBlank() || m.contains("Exception") || m.contains("java.")) {
            return "the request does not follow HTTP/1.1";
        }
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private void headTimedOut() {
        if (phase != Phase.HEAD) {
            return;
        }
        if (!headBytesSeen && nextToWrite == nextSeq) {
            ctx.close(); // a connection that never sent a byte: nothing to answer
            return;
        }
        refuse(RestAnswer.closing(
                408,
                "the request head did not arrive within " + limits.headerReadTimeoutMs()
                        + " ms (SELDONJ_HEADER_READ_TIMEOUT_MS)",
                "REQUEST_TIMEOUT"));
    }

    /** The body must keep the minimum rate after its grace time; checked when it would fall behind. */
    private void bodyDeadline() {
        if (phase != Phase.BODY || reading == null) {
            return;
        }
        long elapsedMs = (System.nanoTime() - reading.startedNanos) / 1_000_000;
        long dueMs = limits.bodyReadTimeoutMs() + reading.length * 1000L / limits.minBodyBytesPerSecond();
        if (elapsedMs < dueMs) {
            arm(dueMs - elapsedMs, this::bodyDeadline);
            return;
        }
        refuse(RestAnswer.closing(
                408,
                "the request body came too slowly: " + reading.length + " of "
                        + (reading.declaredLength >= 0 ? reading.declaredLength + " bytes" : "its bytes") + " in "
                        + elapsedMs
                        + " ms (at least " + limits.minBodyBytesPerSecond() + " bytes per second after "
                        + limits.bodyReadTimeoutMs()
                        + " ms: SELDONJ_MIN_BODY_BYTES_PER_SECOND, SELDONJ_BODY_READ_TIMEOUT_MS)",
                "REQUEST_TIMEOUT"));
    }

    private void idleTimedOut() {
        if (phase == Phase.IDLE && nextToWrite == nextSeq) {
            ctx.close();
        }
    }

    private void arm(long delayMs, Runnable task) {
        cancelDeadline();
        deadline = ctx.executor().schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        cancelDeadline();
        if (reading != null) {
            budget.giveBack(reading.reserved);
            reading = null;
        }
        ready.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("REST connection failed: {}", cause.toString());
        ctx.close();
    }
}
