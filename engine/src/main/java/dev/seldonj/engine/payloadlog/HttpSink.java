package dev.seldonj.engine.payloadlog;

import dev.seldonj.engine.client.HttpConnectionPool;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.net.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An HTTP payload log sink: its URL, the request target and Host header events carry, and the keep-alive
 * connections to it (on the logger's own event loop). Events are POSTed as CloudEvents in binary mode.
 */
record HttpSink(URI uri, String requestTarget, String hostHeader, HttpConnectionPool pool) implements Sink {

    @Override
    public void deliver(LogEvent e, CloudEvent.Origin origin, EventLoop loop, Consumer<String> done) {
        ByteBuf head;
        CloudEvent event;
        try {
            event = CloudEvent.binary(e, origin);
            head = head(event);
        } catch (RuntimeException bad) {
            // A header value that cannot be sent (a puid with a line break...) fails this event only.
            done.accept(bad.getClass().getSimpleName() + ": " + bad.getMessage());
            return;
        }
        pool.exchange(
                loop,
                head,
                Unpooled.wrappedBuffer(event.body()),
                "POST " + requestTarget,
                new HttpConnectionPool.Exchange() {
                    @Override
                    protected void completed(int status, ByteBuf body, String contentType) {
                        body.release();
                        done.accept(status / 100 == 2 ? null : "the sink answered HTTP " + status);
                    }

                    @Override
                    protected void failed(EngineException error) {
                        done.accept(error.getMessage());
                    }
                });
    }

    /** The request's start line and headers, written as bytes; header names and values are checked (they come from clients). */
    private ByteBuf head(CloudEvent event) {
        ByteBuf head = Unpooled.buffer(512);
        head.writeCharSequence("POST " + requestTarget + " HTTP/1.1\r\n", StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> header : event.headers()) {
            HttpHead.header(head, checkName(header.getKey()), checkValue(header.getKey(), header.getValue()));
        }
        HttpHead.header(head, HttpHeaderNames.HOST, hostHeader);
        HttpHead.header(head, HttpHeaderNames.CONTENT_LENGTH, Integer.toString(event.body().length));
        HttpHead.end(head);
        return head;
    }

    private static String checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("header name '" + name + "': invalid character at index " + i);
            }
        }
        return name;
    }

    private static String checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("header '" + name + "': invalid character at index " + i);
            }
        }
        return value;
    }
}
