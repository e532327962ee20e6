package dev.seldonj.engine.config;

/**
 * Payload logging (Seldon's request logger): where events go by default, what names their source,
 * and the bounds of the delivery queue. Part of {@link EngineConfig}; the defaults (Seldon's) are in
 * {@link EngineSettings}.
 *
 * @param defaultEndpoint sink of the nodes whose logger has no {@code url} (env
 *     {@code REQUEST_LOGGER_DEFAULT_ENDPOINT}, set by the operator); empty when none is configured
 * @param hostname host of the {@code ce-source} URL ({@code --hostname}, else env {@code POD_NAME},
 *     else {@code localhost})
 * @param workers deliveries in flight at once ({@code --logger_workers})
 * @param queueSize events waiting beyond those in flight ({@code --log_work_buffer_size}, annotation
 *     {@code seldon.io/executor-logger-queue-size}); 0 takes an event only when a delivery slot is free
 * @param writeTimeoutMs time a delivery may take to connect, and then to be answered
 *     ({@code --log_write_timeout_ms}, annotation {@code seldon.io/executor-logger-write-timeout-ms});
 *     at most 0 means the default
 * @param queueBytes payload bytes queued and in flight ({@code --log_work_buffer_bytes}, beyond
 *     Seldon): the event count alone would let large payloads and a slow sink exhaust the heap
 */
public record PayloadLoggerConfig(
        String defaultEndpoint, String hostname, int workers, int queueSize, long writeTimeoutMs, long queueBytes) {

    /**
     * The bound of one delivery. Seldon's flag bounds how long a request waits for queue space; this
     * engine never makes a request wait (see docs/engine.md), so the flag bounds the delivery instead.
     */
    public long deliveryTimeoutMs() {
        return writeTimeoutMs > 0 ? writeTimeoutMs : EngineSettings.DEFAULT_LOG_WRITE_TIMEOUT_MS;
    }

    public PayloadLoggerConfig withDefaultEndpoint(String url) {
        return new PayloadLoggerConfig(
                url == null ? "" : url.trim(), hostname, workers, queueSize, writeTimeoutMs, queueBytes);
    }

    public PayloadLoggerConfig withQueue(int size, long timeoutMs) {
        return new PayloadLoggerConfig(defaultEndpoint, hostname, workers, size, timeoutMs, queueBytes);
    }

    public PayloadLoggerConfig withWorkers(int count) {
        return new PayloadLoggerConfig(defaultEndpoint, hostname, count, queueSize, writeTimeoutMs, queueBytes);
    }

    public PayloadLoggerConfig withQueueBytes(long bytes) {
        return new PayloadLoggerConfig(defaultEndpoint, hostname, workers, queueSize, writeTimeoutMs, bytes);
    }

    /** Applies Seldon's per-deployment overrides of the queue size and the write timeout. */
    PayloadLoggerConfig withAnnotations(PodAnnotations a) {
        return withQueue(
                a.nonNegativeInt(PodAnnotations.LOGGER_QUEUE_SIZE, queueSize),
                a.integer(PodAnnotations.LOGGER_WRITE_TIMEOUT, writeTimeoutMs));
    }
}
