package dev.seldonj.e2e.analytics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady traffic on one deployment through the gateway until closed, so that every rate has data when
 * Prometheus is asked: good predictions, predictions the model fails on (1-D input: 500 from the mock
 * classifier), requests the engine refuses (malformed JSON: 400), and feedback with a reward. Counts
 * the answers by kind and status.
 */
final class Traffic implements AutoCloseable {

    static final String GOOD = "{\"data\":{\"ndarray\":[[1.0,2.0,5.0],[3.0,4.0,1.0]]}}";
    static final String MODEL_FAILS = "{\"data\":{\"ndarray\":[1.0,2.0]}}";
    static final String MALFORMED = "{\"data\":{\"ndarray\":[[1.0";
    static final String FEEDBACK =
            "{\"request\":" + GOOD + ",\"response\":{\"data\":{\"ndarray\":[[0.4],[0.6]]}},\"reward\":0.75}";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI predictions;
    private final URI feedback;
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    Traffic(String deploymentUrl) {
        this.predictions = URI.create(deploymentUrl + "/api/v1.0/predictions");
        this.feedback = URI.create(deploymentUrl + "/api/v1.0/feedback");
        this.thread = new Thread(this::run, "analytics traffic");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        for (long i = 0; running; i++) {
            send("good", predictions, GOOD);
            if (i % 4 == 0) {
                send("model-fails", predictions, MODEL_FAILS);
            }
            if (i % 5 == 0) {
                send("malformed", predictions, MALFORMED);
            }
            if (i % 3 == 0) {
                send("feedback", feedback, FEEDBACK);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send(String kind, URI uri, String body) {
        String status;
        try {
            status = Integer.toString(http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return;
        } catch (Exception e) {
            status = e.getClass().getSimpleName();
        }
        answers.computeIfAbsent(kind + " " + status, k -> new AtomicLong()).incrementAndGet();
    }

    /** "kind status" -> how many answers so far. */
    Map<String, Long> answers() {
        Map<String, Long> copy = new TreeMap<>();
        answers.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(15_000);
    }
}
