package dev.seldonj.engine.payloadlog;

import dev.seldonj.engine.client.HttpConnectionPool;
import dev.seldonj.engine.metrics.EngineMetrics.LogOutcome;
import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.server.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers payload log events from a bounded queue, at most {@code maxInFlight} at a time, on an
 * event loop of the logger's own with the engine's keep-alive connection pool. Request event loops
 * only {@link #offer} (never blocking: an event beyond the bounds is dropped and counted), so whatever
 * a sink does (refuse, hang, resolve slowly) stalls logger deliveries, never a request. Each delivery
 * is bounded in time; nothing is retried.
 */
final class LogDispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogDispatcher.class);
  private static final long WARN_INTERVAL_S = 10;

  private final EventLoop loop;
  private final Queue<LogEvent> queue = new ConcurrentLinkedQueue<>();
  private final int capacity;
  private final int maxInFlight;
  private final long maxBytes;
  /** Events queued or in flight: admission is against this, so the bound is exact. */
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  /** Payload bytes of the events queued or in flight. */
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final RateLimitedWarning dropWarning = new RateLimitedWarning(LOG, WARN_INTERVAL_S, TimeUnit.SECONDS,
      System::nanoTime);
  private final RateLimitedWarning failWarning = new RateLimitedWarning(LOG, WARN_INTERVAL_S, TimeUnit.SECONDS,
      System::nanoTime);
  private volatile CloudEvent.Origin origin;
  private volatile boolean closed;
  // Confined to the loop.
  private int inFlight;
  private boolean draining;

  /**
   * @param loop the logger's own event loop: the sinks' connection pools must use it too
   * @param capacity events that may wait beyond those in flight ({@code --log_work_buffer_size})
   * @param timeoutMs each delivery's bound: the sinks' pools are made with it
   */
  LogDispatcher(EventLoop loop, int maxInFlight, int capacity, long maxBytes, long timeoutMs, CloudEvent.Origin origin) {
    this.loop = loop;
    this.maxInFlight = maxInFlight;
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.origin = origin;
  }

  /** Replaces the attributes every event carries (once the HTTP port is bound). */
  void origin(CloudEvent.Origin o) {
    origin = o;
  }

  int queued() {
    return queued.get();
  }

  /**
   * Queues the event, or drops it (counted, warned at most every 10 s) when the events or payload
   * bytes held would exceed their bounds. Never blocks; safe on any thread.
   */
  void offer(LogEvent e) {
    boolean room = held.incrementAndGet() <= capacity + maxInFlight;
    long b = bytes.addAndGet(e.size());
    // One event larger than the whole byte budget still goes when nothing else is held.
    boolean fits = b <= maxBytes || b == e.size();
    if (closed || !room || !fits) {
      held.decrementAndGet();
      bytes.addAndGet(-e.size());
      e.count(LogOutcome.DROPPED);
      if (!closed) {
        dropWarning.warn(() -> "payload log queue full (" + (room ? maxBytes + " payload bytes, --log_work_buffer_bytes"
            : capacity + " events waiting, --log_work_buffer_size") + "): dropped a " + e.type().label
            + " event of node '" + e.modelId() + "'");
      }
      return;
    }
    queued.incrementAndGet();
    queue.add(e);
    if (drainScheduled.compareAndSet(false, true)) {
      loop.execute(this::drain);
    }
  }

  /** On the loop: starts deliveries while there are free slots. */
  private void drain() {
    drainScheduled.set(false);
    if (draining) {
      return; // a delivery finished synchronously inside this loop: the loop below goes on
    }
    draining = true;
    try {
      LogEvent e;
      while (inFlight < maxInFlight && (e = queue.poll()) != null) {
        queued.decrementAndGet();
        inFlight++;
        send(e);
      }
    } finally {
      draining = false;
    }
  }

  private void send(LogEvent e) {
    ByteBuf head;
    CloudEvent event;
    try {
      event = CloudEvent.binary(e, origin);
      head = head(e, event);
    } catch (RuntimeException bad) {
      // A header value that cannot be sent (a puid with a line break...) fails this event only.
      finish(e, bad.getClass().getSimpleName() + ": " + bad.getMessage());
      return;
    }
    e.sink().pool().exchange(loop, head, Unpooled.wrappedBuffer(event.body()), "POST " + e.sink().requestTarget(),
        new HttpConnectionPool.Exchange() {
          @Override
          protected void completed(int status, ByteBuf body, String contentType) {
            body.release();
            finish(e, status / 100 == 2 ? null : "the sink answered HTTP " + status);
          }

          @Override
          protected void failed(EngineException error) {
            finish(e, error.getMessage());
          }
        });
  }

  /** The request's start line and headers, written as bytes; header names and values are checked (they come from clients). */
  private static ByteBuf head(LogEvent e, CloudEvent event) {
    ByteBuf head = Unpooled.buffer(512);
    head.writeCharSequence("POST " + e.sink().requestTarget() + " HTTP/1.1\r\n", StandardCharsets.ISO_8859_1);
    for (Map.Entry<String, String> header : event.headers()) {
      HttpHead.header(head, checkName(header.getKey()), checkValue(header.getKey(), header.getValue()));
    }
    HttpHead.header(head, HttpHeaderNames.HOST, e.sink().hostHeader());
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

  private void finish(LogEvent e, String failure) {
    held.decrementAndGet();
    bytes.addAndGet(-e.size());
    if (failure == null) {
      e.count(LogOutcome.DELIVERED);
    } else {
      e.count(LogOutcome.FAILED);
      failWarning.warn(() -> "payload log: could not deliver a " + e.type().label + " event of node '" + e.modelId()
          + "' to " + e.sink().uri() + ": " + failure);
    }
    inFlight--;
    drain();
  }

  /** Stops taking events; those still queued are not sent (Seldon's executor does not drain either). */
  @Override
  public void close() {
    closed = true;
  }
}
