package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;

import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.Metric.MetricType;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The metrics port's output passes Prometheus' own linter, {@code promtool check metrics}: every family has HELP and
 * TYPE, counters end in {@code _total}. {@code make test} installs promtool (mk/observability.mk) and sets
 * {@code SELDONJ_REQUIRE_PROMTOOL}, so there a missing promtool fails the test instead of skipping it.
 */
class MetricsPromtoolIT {

    /** Reports a counter, a gauge and a timer on every call, with a tag. */
    static final class Measured implements SeldonComponent {
        @Override
        public SeldonMessage predict(SeldonMessage request) {
            return Payloads.passThrough(request).toBuilder()
                    .setMeta(Meta.newBuilder()
                            .addMetrics(Metric.newBuilder()
                                    .setKey("rows_seen")
                                    .setType(MetricType.COUNTER)
                                    .setValue(2)
                                    .putTags("source", "test"))
                            .addMetrics(Metric.newBuilder()
                                    .setKey("queue_depth")
                                    .setType(MetricType.GAUGE)
                                    .setValue(7))
                            .addMetrics(Metric.newBuilder()
                                    .setKey("inference_time")
                                    .setType(MetricType.TIMER)
                                    .setValue(12.5f)))
                    .build();
        }
    }

    private static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "promtool");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    @Test
    void theMetricsOutputPassesPromtoolCheckMetrics() throws Exception {
        String promtool = promtool();
        if (promtool == null) {
            assertThat(System.getenv("SELDONJ_REQUIRE_PROMTOOL"))
                    .as("promtool is missing from PATH, and this run "
                            + "(make test) requires it: `make prometheus-server` installs it")
                    .isNull();
            Assumptions.abort("promtool is not on PATH (`make prometheus-server` installs it; `make test` does): "
                    + "the metrics output is not linted");
        }
        HttpClient http = HttpClient.newHttpClient();
        try (SeldonServer server = SeldonServer.start(
                new Measured(), WrapperConfig.ephemeral().withUnit("m", "img:1"), WrapperLimits.defaults())) {
            String base = "http://127.0.0.1:" + server.httpPort();
            for (String path : List.of("/predict", "/send-feedback")) {
                String body = path.equals("/predict")
                        ? "{\"strData\":\"x\"}"
                        : "{\"request\":{\"strData\":\"x\"},\"reward\":0.5}";
                assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create(base + path))
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200);
            }
            String metrics = http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + server.metricsPort() + "/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .contains(
                            "# HELP seldon_api_model_feedback_total ",
                            "# HELP rows_seen_total ",
                            "# HELP queue_depth ",
                            "# HELP inference_time ",
                            "seldon_api_model_feedback_reward_total{");

            Process check = new ProcessBuilder(promtool, "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue())
                    .as("promtool check metrics said:\n%s\non:\n%s", out, metrics)
                    .isZero();
            assertThat(out).as("promtool's complaints").isBlank();
        }
    }
}
