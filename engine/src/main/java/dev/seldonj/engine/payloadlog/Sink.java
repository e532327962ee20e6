package dev.seldonj.engine.payloadlog;

import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.function.Consumer;

/**
 * Where a node's payload log events go, resolved at start-up: an HTTP endpoint ({@link HttpSink}, CloudEvents in
 * binary HTTP mode) or a Kafka topic ({@link KafkaSink}, the same attributes as record headers).
 */
sealed interface Sink permits HttpSink, KafkaSink {

    /** The sink as a URL, for warnings and the CloudEvent's target. */
    URI uri();

    /**
     * Sends one event, on the logger's event loop, without blocking it for longer than the delivery bound.
     * {@code done} is called once, on {@code loop}, with null when the sink took the event, else why not.
     */
    void deliver(LogEvent e, CloudEvent.Origin origin, EventLoop loop, Consumer<String> done);

    static String requestTarget(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    static String hostHeader(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}
