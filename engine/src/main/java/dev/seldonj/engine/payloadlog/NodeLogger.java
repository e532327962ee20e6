package dev.seldonj.engine.payloadlog;

import dev.seldonj.api.model.LoggerMode;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.metrics.EngineMetrics;
import java.time.Instant;

/**
 * The payload logger of one graph node, resolved at start-up from its {@code logger} (mode and sink).
 * The executor calls it around the node's calls; each call costs, when the mode wants the event, a
 * few references and a non-blocking queue offer.
 */
public final class NodeLogger {

    private final String node;
    private final Sink sink;
    private final boolean requests;
    private final boolean responses;
    private final LogDispatcher dispatcher;
    private final EngineMetrics.LoggerCounters counters;

    NodeLogger(
            String node, LoggerMode mode, Sink sink, LogDispatcher dispatcher, EngineMetrics.LoggerCounters counters) {
        this.node = node;
        this.sink = sink;
        this.requests = mode == LoggerMode.REQUEST || mode == LoggerMode.ALL;
        // As Seldon's executor: feedback is logged with the responses.
        this.responses = mode == LoggerMode.RESPONSE || mode == LoggerMode.ALL;
        this.dispatcher = dispatcher;
        this.counters = counters;
    }

    /** The node's input, before a call that transforms it. */
    public void request(Message input, RequestContext ctx) {
        if (requests && !ctx.skipLogging()) {
            offer(LogType.REQUEST, LogPayload.of(input, ctx.protoWire()), ctx);
        }
    }

    /** The call's output. */
    public void response(Message output, RequestContext ctx) {
        if (responses && !ctx.skipLogging()) {
            offer(LogType.RESPONSE, LogPayload.of(output, ctx.protoWire()), ctx);
        }
    }

    /** Feedback reaching the node. */
    public void feedback(FeedbackMessage feedback, RequestContext ctx) {
        if (responses && !ctx.skipLogging()) {
            offer(LogType.FEEDBACK, LogPayload.of(feedback, ctx.protoWire()), ctx);
        }
    }

    private void offer(LogType type, LogPayload payload, RequestContext ctx) {
        dispatcher.offer(new LogEvent(
                sink,
                type,
                RequestContext.newPuid(),
                Instant.now(),
                node,
                ctx.puid(),
                payload,
                payload.size(),
                counters));
    }
}
