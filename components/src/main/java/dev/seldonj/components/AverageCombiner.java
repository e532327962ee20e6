package dev.seldonj.components;

import dev.seldonj.wrapper.Payloads;
import dev.seldonj.wrapper.SeldonComponent;
import dev.seldonj.wrapper.SeldonComponentException;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;

/** Averages its children's numeric outputs element by element; every output must have the same shape. */
public final class AverageCombiner implements SeldonComponent {

    @Override
    public SeldonMessage aggregate(SeldonMessageList request) {
        int n = request.getSeldonMessagesCount();
        double[][] sum = null;
        for (int m = 0; m < n; m++) {
            double[][] rows;
            try {
                rows = Payloads.matrix(request.getSeldonMessages(m));
            } catch (SeldonComponentException e) {
                throw new SeldonComponentException("seldonMessages[" + m + "]: " + e.getMessage());
            }
            if (sum == null) {
                sum = new double[rows.length][rows.length == 0 ? 0 : rows[0].length];
            } else if (rows.length != sum.length || (rows.length > 0 && rows[0].length != sum[0].length)) {
                throw new SeldonComponentException("seldonMessages[" + m + "]: shape " + shape(rows)
                        + " differs from seldonMessages[0]'s " + shape(sum));
            }
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < rows[r].length; c++) {
                    sum[r][c] += rows[r][c];
                }
            }
        }
        for (double[] row : sum) {
            for (int c = 0; c < row.length; c++) {
                row[c] /= n;
            }
        }
        return Payloads.respondLike(request.getSeldonMessages(0), sum, null);
    }

    private static String shape(double[][] rows) {
        return "[" + rows.length + "," + (rows.length == 0 ? 0 : rows[0].length) + "]";
    }
}
