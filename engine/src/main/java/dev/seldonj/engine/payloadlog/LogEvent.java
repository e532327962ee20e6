package dev.seldonj.engine.payloadlog;

import dev.seldonj.engine.metrics.EngineMetrics;
import java.time.Instant;

/**
 * One payload to log, as queued by a node: everything request-specific a CloudEvent needs. Built on
 * the request's event loop from references only; the logger's own loop makes the event's bytes.
 *
 * @param sink where the event goes (the node's {@code logger.url} or the default endpoint)
 * @param id the event's {@code ce-id}, a new UUID
 * @param time when the payload was seen ({@code ce-time})
 * @param modelId the node's name ({@code ce-modelid})
 * @param requestId the request's puid ({@code ce-requestid})
 * @param size the payload's bytes, counted against the queue's byte budget while the event is held
 * @param counters the node's logger metrics
 */
public record LogEvent(
        Sink sink,
        LogType type,
        String id,
        Instant time,
        String modelId,
        String requestId,
        LogPayload payload,
        long size,
        EngineMetrics.LoggerCounters counters) {

    void count(EngineMetrics.LogOutcome outcome) {
        counters.count(type.ordinal(), outcome);
    }
}
