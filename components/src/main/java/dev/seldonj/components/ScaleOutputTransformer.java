package dev.seldonj.components;

import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.Payloads;
import dev.seldonj.wrapper.SeldonComponent;
import io.seldon.protos.PredictionProtos.SeldonMessage;

/**
 * An output transformer that multiplies every output value by {@code factor} (DOUBLE parameter, default
 * 100: probabilities become percentages), keeping the output's names.
 */
public final class ScaleOutputTransformer implements SeldonComponent {

    private final double factor;

    public ScaleOutputTransformer(ComponentParameters parameters) {
        this.factor = parameters.getDouble("factor", 100.0);
    }

    @Override
    public SeldonMessage transformOutput(SeldonMessage request) {
        double[][] rows = Payloads.matrix(request);
        for (double[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] *= factor;
            }
        }
        var names = request.getData().getNamesCount() > 0 ? request.getData().getNamesList() : null;
        return Payloads.respondLike(request, rows, names);
    }
}
