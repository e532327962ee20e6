package dev.seldonj.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuantileSummaryTest {

    private static final double[] QS = {0.5, 0.75, 0.9, 0.98, 0.99, 1.0};

    @Test
    void isExposedExactlyAsClientJavasSummary() throws Exception {
        PrometheusRegistry ours = new PrometheusRegistry();
        QuantileSummary summary =
                new QuantileSummary("latency_summary", "Latencies", new String[] {"service", "code"}, QS, 600, 5);
        ours.register(summary);
        summary.labelValues("predictions", "200").observe(250_000_000, System.nanoTime());
        summary.labelValues("predictions", "200").observe(250_000_000, System.nanoTime());
        summary.labelValues("feedback", "500").observe(125_000_000, System.nanoTime());

        PrometheusRegistry theirs = new PrometheusRegistry();
        Summary.Builder b = Summary.builder()
                .name("latency_summary")
                .help("Latencies")
                .labelNames("service", "code")
                .withoutExemplars();
        for (double q : QS) {
            b.quantile(q, 0.001);
        }
        Summary reference = b.register(theirs);
        reference.labelValues("predictions", "200").observe(0.25);
        reference.labelValues("predictions", "200").observe(0.25);
        reference.labelValues("feedback", "500").observe(0.125);

        assertThat(text(ours))
                .isEqualTo(text(theirs))
                .contains("latency_summary{code=\"200\",service=\"predictions\"," + "quantile=\"0.99\"} 0.25\n");
    }

    @Test
    void anEmptyWindowHasNaNQuantilesAndKeepsItsCount() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        QuantileSummary summary = new QuantileSummary("s", "h", new String[] {"l"}, QS, 600, 5);
        registry.register(summary);
        summary.labelValues("x");

        assertThat(text(registry)).contains("s{l=\"x\",quantile=\"0.5\"} NaN\n", "s_count{l=\"x\"} 0\n");
    }

    @Test
    void theWrongNumberOfLabelValuesIsRefusedByName() {
        QuantileSummary summary = new QuantileSummary("s", "h", new String[] {"a", "b"}, QS, 600, 5);

        assertThatThrownBy(() -> summary.labelValues("x")).hasMessage("s has 2 labels, got 1 values");
    }

    private static String text(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
