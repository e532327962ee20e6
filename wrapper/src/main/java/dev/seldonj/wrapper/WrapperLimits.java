package dev.seldonj.wrapper;

import java.util.Map;

/**
 * How much the wrapper's servers take from a client and for how long, read once at start-up from the environment
 * (beside {@link WrapperConfig}, which holds the variables the Python wrapper reads too). Every default is here.
 *
 * @param maxBodyBytes {@code SELDONJ_MAX_BODY_BYTES}: the largest REST body and gRPC message; default a quarter of
 *     the heap (at most 2 GiB). A REST body over it gets 413 before it is read, a gRPC message RESOURCE_EXHAUSTED
 * @param maxInflightBodyBytes {@code SELDONJ_MAX_INFLIGHT_BODY_BYTES}: REST body and gRPC message bytes held at
 *     once, across all requests being read, waiting or served; default an eighth of the heap (a JSON body takes
 *     several times its size once parsed and answered). A REST body that does not fit gets 503 with
 *     {@code Retry-After} before it is read, a gRPC message RESOURCE_EXHAUSTED (a body alone may always use
 *     {@code maxBodyBytes})
 * @param maxInitialLineBytes {@code SELDONJ_MAX_INITIAL_LINE_BYTES}: the longest request line; default 8192 (414)
 * @param maxHeaderBytes {@code SELDONJ_MAX_HEADER_BYTES}: the largest request head (all header lines); default
 *     16384 (431); also the gRPC metadata limit
 * @param maxHeaderCount {@code SELDONJ_MAX_HEADER_COUNT}: the most header lines in a request; default 100 (431)
 * @param headerReadTimeoutMs {@code SELDONJ_HEADER_READ_TIMEOUT_MS}: a request's head must arrive within this time
 *     of its first byte (of the connection, for a new one); default 10000 (408 and close). Also the gRPC handshake
 *     timeout
 * @param idleTimeoutMs {@code SELDONJ_IDLE_TIMEOUT_MS}: a keep-alive connection with nothing in flight is closed
 *     after this; default 60000. Also gRPC's {@code maxConnectionIdle}
 * @param bodyReadTimeoutMs {@code SELDONJ_BODY_READ_TIMEOUT_MS}: the grace a body has after its head before it must
 *     keep the minimum rate; default 10000
 * @param minBodyBytesPerSecond {@code SELDONJ_MIN_BODY_BYTES_PER_SECOND}: after that grace, the body must have come
 *     at least this fast on average (a half-sent body: 408 and close); default 4096
 * @param maxQueuedRequests {@code SELDONJ_MAX_QUEUED_REQUESTS}: REST requests waiting for a worker thread beyond
 *     those running; default 256. More get 503 with {@code Retry-After}
 * @param grpcPermitKeepAliveMs {@code SELDONJ_GRPC_PERMIT_KEEPALIVE_MS}: the most frequent client keep-alive ping
 *     the gRPC server accepts; default 10000 (gRPC's own default, 5 minutes, makes clients that ping every 10-30 s
 *     fail with ENHANCE_YOUR_CALM)
 */
public record WrapperLimits(
        int maxBodyBytes,
        long maxInflightBodyBytes,
        int maxInitialLineBytes,
        int maxHeaderBytes,
        int maxHeaderCount,
        int headerReadTimeoutMs,
        int idleTimeoutMs,
        int bodyReadTimeoutMs,
        int minBodyBytesPerSecond,
        int maxQueuedRequests,
        int grpcPermitKeepAliveMs) {

    public static WrapperLimits defaults() {
        return fromEnv(Map.of());
    }

    public static WrapperLimits fromEnv(Map<String, String> env) {
        long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
        return new WrapperLimits(
                positive(env, "SELDONJ_MAX_BODY_BYTES", (int) Math.min(Integer.MAX_VALUE - 8, quarterHeap)),
                positive(env, "SELDONJ_MAX_INFLIGHT_BODY_BYTES", quarterHeap / 2),
                positive(env, "SELDONJ_MAX_INITIAL_LINE_BYTES", 8192),
                positive(env, "SELDONJ_MAX_HEADER_BYTES", 16384),
                positive(env, "SELDONJ_MAX_HEADER_COUNT", 100),
                positive(env, "SELDONJ_HEADER_READ_TIMEOUT_MS", 10_000),
                positive(env, "SELDONJ_IDLE_TIMEOUT_MS", 60_000),
                positive(env, "SELDONJ_BODY_READ_TIMEOUT_MS", 10_000),
                positive(env, "SELDONJ_MIN_BODY_BYTES_PER_SECOND", 4096),
                positive(env, "SELDONJ_MAX_QUEUED_REQUESTS", 256),
                positive(env, "SELDONJ_GRPC_PERMIT_KEEPALIVE_MS", 10_000));
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        long v = positive(env, name, (long) fallback);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    name + " must be a positive integer up to " + Integer.MAX_VALUE + ", got '" + env.get(name) + "'");
        }
        return (int) v;
    }

    private static long positive(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer, got '" + value + "'");
    }
}
