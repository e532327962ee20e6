package dev.seldonj.components;

import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.Payloads;
import dev.seldonj.wrapper.SeldonComponent;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.util.List;

/**
 * Behaves like {@code seldonio/mock_classifier} (Seldon's {@code MeanClassifier}): each row's answer is
 * {@code sigmoid(mean(row) - threshold)} named {@code proba}, where the threshold is the mean of the
 * model file that image ships (35/12, recovered from its documented answers: {@code [[1,2,5]]} gives
 * 0.43782349911420193 and {@code [[1,2]]} 0.1951846770138402) plus the INT parameter {@code intValue}.
 * Input must be 2-D, as the original asserts ("Incorrect shape").
 */
public final class MockClassifier implements SeldonComponent {

    static final double MODEL_MEAN = 35.0 / 12.0;
    private final double threshold;

    public MockClassifier(ComponentParameters parameters) {
        this.threshold = MODEL_MEAN + parameters.getInt("intValue", 0);
    }

    @Override
    public SeldonMessage predict(SeldonMessage request) {
        requireTwoDimensions(request);
        double[][] rows = Payloads.matrix(request);
        double[][] out = new double[rows.length][1];
        for (int r = 0; r < rows.length; r++) {
            out[r][0] = 1.0 / (1.0 + Math.exp(-(NumpyMath.mean(rows[r]) - threshold)));
        }
        return Payloads.respondLike(request, out, List.of("proba"));
    }

    /** The original fails with an assertion, which its wrapper answers with HTTP 500. */
    private static void requireTwoDimensions(SeldonMessage request) {
        if (!request.hasData()) {
            return; // Payloads.matrix names what is missing
        }
        DefaultData data = request.getData();
        boolean twoD = switch (data.getDataOneofCase()) {
            case TENSOR -> data.getTensor().getShapeCount() == 2;
            case NDARRAY ->
                data.getNdarray().getValuesCount() > 0
                        && data.getNdarray().getValues(0).hasListValue();
            default -> true;
        };
        if (!twoD) {
            throw new IllegalArgumentException("Incorrect shape");
        }
    }
}
