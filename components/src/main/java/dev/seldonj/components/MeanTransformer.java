package dev.seldonj.components;

import dev.seldonj.wrapper.Payloads;
import dev.seldonj.wrapper.SeldonComponent;
import io.seldon.protos.PredictionProtos.SeldonMessage;

/**
 * Seldon's example {@code MeanTransformer}: scales the whole input to [0, 1] with
 * {@code (X - min) / (max - min)}, or all zeros when every value is the same.
 */
public final class MeanTransformer implements SeldonComponent {

    @Override
    public SeldonMessage transformInput(SeldonMessage request) {
        double[][] rows = Payloads.matrix(request);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : rows) {
            for (double v : row) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        for (double[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = max == min ? 0.0 : (row[i] - min) / (max - min);
            }
        }
        return Payloads.respondLike(request, rows, null);
    }
}
