package dev.seldonj.components;

/**
 * Arithmetic done the way numpy does it, so that answers match the Python originals to the last bit:
 * {@code np.mean} sums with numpy's pairwise summation (8 accumulators, blocks of 128).
 */
final class NumpyMath {

    private static final int BLOCK = 128;

    private NumpyMath() {}

    static double mean(double[] values) {
        return sum(values, 0, values.length) / values.length;
    }

    /** numpy's {@code pairwise_sum} for contiguous doubles. */
    static double sum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        if (n <= BLOCK) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[from + j];
            }
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return sum(a, from, n2) + sum(a, from + n2, n - n2);
    }
}
