package dev.seldonj.components;

import dev.seldonj.wrapper.Payloads;
import dev.seldonj.wrapper.SeldonComponent;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.Meta;
import io.seldon.protos.PredictionProtos.Metric;
import io.seldon.protos.PredictionProtos.Metric.MetricType;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.util.List;

/**
 * A model that reports custom metrics, as Seldon's custom-metrics example does: it passes its input
 * through (like {@link IdentityModel}) and puts in its answer's {@code meta.metrics} a COUNTER
 * {@code model_predictions} (1 per call), a GAUGE {@code model_last_batch_size} (rows of this input)
 * and a TIMER {@code model_predict_ms} (its own time, in milliseconds). The wrapper exports them on the
 * metrics port; the analytics chart's model dashboard shows them.
 */
public final class ModelWithMetrics implements SeldonComponent {

    static final String COUNTER = "model_predictions";
    static final String GAUGE = "model_last_batch_size";
    static final String TIMER = "model_predict_ms";

    @Override
    public SeldonMessage predict(SeldonMessage request) {
        long start = System.nanoTime();
        SeldonMessage answer = Payloads.passThrough(request);
        float millis = (System.nanoTime() - start) / 1e6f;
        Meta meta = answer.getMeta().toBuilder()
                .addAllMetrics(List.of(
                        metric(COUNTER, MetricType.COUNTER, 1f),
                        metric(GAUGE, MetricType.GAUGE, rows(request)),
                        metric(TIMER, MetricType.TIMER, millis)))
                .build();
        return answer.toBuilder().setMeta(meta).build();
    }

    private static Metric metric(String key, MetricType type, float value) {
        return Metric.newBuilder().setKey(key).setType(type).setValue(value).build();
    }

    /** Rows of a tensor or ndarray (its first dimension); 1 for any other payload. */
    private static float rows(SeldonMessage request) {
        DefaultData data = request.getData();
        return switch (data.getDataOneofCase()) {
            case TENSOR ->
                data.getTensor().getShapeCount() > 0 ? data.getTensor().getShape(0) : 1;
            case NDARRAY -> data.getNdarray().getValuesCount();
            default -> 1;
        };
    }
}
