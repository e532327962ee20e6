package dev.seldonj.wrapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Prometheus scrapes on their own port, as the Python wrapper serves them (a separate app on port 6000), on the same
 * hardened HTTP server as the REST API.
 */
final class MetricsServer implements RestHandler {

    private final String path;
    private final CustomMetrics metrics;

    MetricsServer(String path, CustomMetrics metrics) {
        this.path = path;
        this.metrics = metrics;
    }

    @Override
    public RestAnswer answer(
            String method, String requestPath, String rawQuery, Function<String, String> header, byte[] body) {
        if (!requestPath.equals(path) || !method.equals("GET")) {
            return new RestAnswer(
                    404,
                    "text/plain; charset=utf-8",
                    ("metrics are served at GET " + path + "\n").getBytes(StandardCharsets.UTF_8),
                    0,
                    false);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            metrics.write(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RestAnswer(200, CustomMetrics.contentType(), buffer.toByteArray(), 0, false);
    }
}
