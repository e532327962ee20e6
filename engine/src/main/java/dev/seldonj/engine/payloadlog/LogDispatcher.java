package dev.seldonj.engine.payloadlog;

import dev.seldonj.engine.metrics.EngineMetrics.LogOutcome;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers payload log events: a bounded queue drained by a fixed number of worker threads, each
 * sending one event at a time with the JDK HTTP client and a time limit. Event loops only ever
 * {@link #offer} (never blocking: a full queue drops the event, counted), so a slow or dead sink,
 * its DNS lookups and its connects cost the workers, never a request. Nothing is retried.
 */
final class LogDispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogDispatcher.class);
  private static final int HTTP_THREADS = 2;
  private static final long WARN_INTERVAL_S = 10;

  private final BlockingQueue<LogEvent> queue;
  private final int capacity;
  private final long maxBytes;
  /** Payload bytes of the events queued or being delivered. */
  private final AtomicLong bytes = new AtomicLong();
  private final Thread[] workers;
  private final ExecutorService httpExecutor;
  private final HttpClient http;
  private final Duration timeout;
  private volatile CloudEvent.Origin origin;
  private volatile boolean closed;
  private final RateLimitedWarning dropWarning = new RateLimitedWarning(LOG, WARN_INTERVAL_S, TimeUnit.SECONDS,
      System::nanoTime);
  private final RateLimitedWarning failWarning = new RateLimitedWarning(LOG, WARN_INTERVAL_S, TimeUnit.SECONDS,
      System::nanoTime);

  LogDispatcher(int workerCount, int queueSize, long maxBytes, long timeoutMs, CloudEvent.Origin origin) {
    // Size 0 is Go's unbuffered channel: an event goes only to a worker that is waiting for one.
    this.queue = queueSize == 0 ? new SynchronousQueue<>() : new LinkedBlockingQueue<>(queueSize);
    this.capacity = queueSize;
    this.maxBytes = maxBytes;
    this.timeout = Duration.ofMillis(timeoutMs);
    this.origin = origin;
    AtomicInteger n = new AtomicInteger();
    this.httpExecutor = Executors.newFixedThreadPool(HTTP_THREADS, r -> daemon(r, "payload-log-http-" + n.incrementAndGet()));
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).executor(httpExecutor).build();
    this.workers = new Thread[workerCount];
    for (int i = 0; i < workerCount; i++) {
      workers[i] = daemon(this::work, "payload-log-" + (i + 1));
      workers[i].start();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Replaces the attributes every event carries (once the HTTP port is bound). */
  void origin(CloudEvent.Origin o) {
    origin = o;
  }

  int queued() {
    return queue.size();
  }

  /**
   * Queues the event, or drops it (counted, warned at most every 10 s) when the queue holds its number
   * of events or of payload bytes. Never blocks.
   */
  void offer(LogEvent e) {
    long held = bytes.addAndGet(e.size());
    // One event larger than the whole budget still goes when nothing else is held.
    boolean fits = held <= maxBytes || held == e.size();
    if (!closed && fits && queue.offer(e)) {
      return;
    }
    bytes.addAndGet(-e.size());
    e.count(LogOutcome.DROPPED);
    if (closed) {
      return;
    }
    dropWarning.warn(() -> "payload log queue full (" + (fits ? capacity + " events, --log_work_buffer_size"
        : maxBytes + " payload bytes, --log_work_buffer_bytes") + "): dropped a " + e.type().label
        + " event of node '" + e.modelId() + "'");
  }

  private void work() {
    while (!closed) {
      LogEvent e;
      try {
        e = queue.take();
      } catch (InterruptedException stop) {
        return;
      }
      try {
        deliver(e);
      } finally {
        bytes.addAndGet(-e.size());
      }
    }
  }

  private void deliver(LogEvent e) {
    String failure;
    try {
      CloudEvent event = CloudEvent.binary(e, origin);
      HttpRequest.Builder b = HttpRequest.newBuilder(event.target()).timeout(timeout)
          .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()));
      for (Map.Entry<String, String> h : event.headers()) {
        b.header(h.getKey(), h.getValue());
      }
      CompletableFuture<HttpResponse<Void>> sent = http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding());
      try {
        // The request timeout covers the answer's headers; this bounds a body that trickles in too.
        int status = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        failure = status / 100 == 2 ? null : "the sink answered HTTP " + status;
      } catch (TimeoutException t) {
        sent.cancel(true);
        failure = "no answer within " + timeout.toMillis() + " ms (--log_write_timeout_ms)";
      } catch (ExecutionException x) {
        Throwable c = x.getCause() == null ? x : x.getCause();
        failure = c instanceof java.net.http.HttpTimeoutException
            ? "no answer within " + timeout.toMillis() + " ms (--log_write_timeout_ms)"
            : c instanceof java.net.ConnectException ? "connection refused" : c.getClass().getSimpleName() + ": "
                + c.getMessage();
      }
    } catch (InterruptedException stop) {
      Thread.currentThread().interrupt();
      failure = "the engine is stopping";
    } catch (RuntimeException bad) {
      // A header the HTTP client refuses (a puid with a line break...) fails this event only.
      failure = bad.getClass().getSimpleName() + ": " + bad.getMessage();
    }
    if (failure == null) {
      e.count(LogOutcome.DELIVERED);
    } else {
      e.count(LogOutcome.FAILED);
      String why = failure;
      failWarning.warn(() -> "payload log: could not deliver a " + e.type().label + " event of node '" + e.modelId()
          + "' to " + e.sink() + ": " + why);
    }
  }

  /** Stops the workers; events still queued are not sent (as Seldon's executor does not drain either). */
  @Override
  public void close() {
    closed = true;
    for (Thread w : workers) {
      w.interrupt();
    }
    httpExecutor.shutdown();
  }
}
