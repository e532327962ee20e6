package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * /prometheus passes Prometheus' own linter, {@code promtool check metrics}, except for the one rule Seldon's
 * executor breaks by name and dashboards depend on: its summaries are called {@code ..._summary}. {@code make test}
 * installs promtool and sets {@code SELDONJ_REQUIRE_PROMTOOL}, so there a missing promtool fails instead of skipping.
 */
class MetricsLintIT {

    private static final String SELDONS_SUMMARY_NAMES = "metric name should not include type 'summary'";

    @Test
    void promtoolFindsNothingButSeldonsSummaryNames() throws Exception {
        Optional<Path> promtool = Arrays.stream(
                        System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
        if (promtool.isEmpty()) {
            assertThat(System.getenv("SELDONJ_REQUIRE_PROMTOOL"))
                    .as("promtool is not on PATH and this run (make test) "
                            + "requires it: `make prometheus-server` installs it")
                    .isNull();
            Assumptions.abort(
                    "promtool is not on PATH (`make prometheus-server` installs it): /prometheus is not linted");
        }
        try (RestComponent model = new RestComponent("model").echoing("/predict");
                EngineFixture engine =
                        EngineFixture.start(new EngineFixture.Spec("{name: model, type: MODEL}").rest(model))) {
            engine.predict("{\"data\":{\"ndarray\":[1]}}");
            engine.predict("[not a message]");
            engine.post("/api/v1.0/feedback", "{\"reward\":1}");
            String metrics = engine.get("/prometheus").body();
            assertThat(metrics)
                    .contains(
                            "seldon_api_executor_client_requests_seconds_summary{",
                            "seldon_api_executor_server_requests_seconds_bucket{");

            Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();

            List<String> problems = said.lines()
                    .filter(line -> !line.isBlank())
                    .filter(line -> !line.endsWith(SELDONS_SUMMARY_NAMES))
                    .toList();
            assertThat(problems).as("promtool check metrics on:\n%s", metrics).isEmpty();
            assertThat(said)
                    .contains(
                            "seldon_api_executor_server_requests_seconds_summary " + SELDONS_SUMMARY_NAMES,
                            "seldon_api_executor_client_requests_seconds_summary " + SELDONS_SUMMARY_NAMES);
        }
    }
}
