package dev.seldonj.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlidingQuantilesTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final double[] QS = {0.5, 0.75, 0.9, 0.98, 0.99, 1.0};

    @Test
    void countersCoverEveryValueInOrderAndInvertToTheirLowerBounds() {
        int previous = -1;
        for (long v = 0; v < 1 << 20; v++) {
            int i = SlidingQuantiles.index(v);
            assertThat(i).isBetween(previous, previous + 1);
            assertThat(SlidingQuantiles.lowerBound(i)).isLessThanOrEqualTo(v);
            assertThat(SlidingQuantiles.lowerBound(i + 1)).isGreaterThan(v);
            previous = i;
        }
        long big = TimeUnit.MINUTES.toNanos(5);
        assertThat(SlidingQuantiles.lowerBound(SlidingQuantiles.index(big))).isLessThanOrEqualTo(big);
        assertThat(SlidingQuantiles.index(Long.MAX_VALUE)).isEqualTo(SlidingQuantiles.index(1L << 40));
    }

    @Test
    void quantilesAreWithinTheRelativeErrorOfTheExactOnes() {
        Random random = new Random(7);
        long[] values = new long[100_000];
        SlidingQuantiles q = new SlidingQuantiles(10 * MINUTE, 5, 0);
        for (int i = 0; i < values.length; i++) {
            // Around 1 ms with a long tail, as request latencies are.
            values[i] = (long) (Math.exp(random.nextGaussian() * 0.8) * 1_000_000);
            q.observe(values[i], 1000);
        }
        Arrays.sort(values);

        double[] got = q.quantiles(QS, 2000);

        for (int k = 0; k < QS.length; k++) {
            long exact = values[(int) Math.ceil(QS[k] * values.length) - 1];
            assertThat(got[k] * 1e9).as("quantile %s", QS[k]).isCloseTo(exact, within(exact / 64.0 + 1));
        }
        assertThat(got[QS.length - 1] * 1e9).isCloseTo(values[values.length - 1], within(1e-3));
        assertThat(q.count()).isEqualTo(values.length);
        assertThat(q.sumSeconds()).isCloseTo(Arrays.stream(values).sum() / 1e9, within(1e-6));
    }

    @Test
    void aSingleObservationIsEveryQuantileExactly() {
        SlidingQuantiles q = new SlidingQuantiles(10 * MINUTE, 5, 0);
        q.observe(1_234_567, 10);

        assertThat(q.quantiles(QS, 20)).containsOnly(0.001234567);
    }

    @Test
    void observationsLeaveTheWindowAfterMaxAgeButCountAndSumStay() {
        SlidingQuantiles q = new SlidingQuantiles(10 * MINUTE, 5, 0);
        q.observe(5_000_000, MINUTE); // sub-window [0, 2 min)
        q.observe(1_000_000, 3 * MINUTE); // [2, 4)

        assertThat(q.quantiles(new double[] {1.0}, 9 * MINUTE)[0]).isEqualTo(0.005);
        // At 10 min the first sub-window has left: the window is [2 min, 10 min].
        assertThat(q.quantiles(new double[] {1.0}, 10 * MINUTE)[0]).isEqualTo(0.001);
        assertThat(q.quantiles(new double[] {0.5}, 12 * MINUTE)[0]).isNaN();
        assertThat(q.count()).isEqualTo(2);
        assertThat(q.sumSeconds()).isCloseTo(0.006, within(1e-12));
    }

    @Test
    void aSlotReusedAfterAFullTurnStartsEmpty() {
        SlidingQuantiles q = new SlidingQuantiles(10 * MINUTE, 5, 0);
        q.observe(9_000_000, MINUTE);
        q.observe(2_000_000, 11 * MINUTE); // the same ring slot, one turn later

        assertThat(q.quantiles(new double[] {0.5, 1.0}, 11 * MINUTE)).containsExactly(0.002, 0.002);
    }

    @Test
    void negativeDurationsCountAsZero() {
        SlidingQuantiles q = new SlidingQuantiles(MINUTE, 1, 0);
        q.observe(-5, 1);

        assertThat(q.quantiles(new double[] {1.0}, 1)).containsExactly(0.0);
    }

    @Test
    void concurrentObserversLoseNothingWithinASubWindow() throws Exception {
        SlidingQuantiles q = new SlidingQuantiles(10 * MINUTE, 5, 0);
        Runnable work = () -> {
            for (int i = 0; i < 200_000; i++) {
                q.observe(1000 + i % 5000, 100);
            }
        };
        Thread a = new Thread(work);
        Thread b = new Thread(work);
        a.start();
        b.start();
        a.join();
        b.join();

        assertThat(q.count()).isEqualTo(400_000);
        assertThat(q.quantiles(new double[] {0.0, 1.0}, 100)).containsExactly(1000e-9, 5999e-9);
    }
}
