package dev.seldonj.engine.metrics;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Quantiles of durations over a sliding window, for one series of a summary. An observation is one
 * atomic increment of a log-linear counter (HdrHistogram's layout: {@value #SUB_BUCKETS} counters per
 * power of two of nanoseconds), into the current slot of a ring of sub-windows; quantiles are computed
 * when asked, from the slots still in the window. A quantile is a counter's midpoint, so it is within
 * 1/{@value #SUB_BUCKETS}/2 (1.6 %) of the exact value, clamped to the window's minimum and maximum
 * (both exact, so quantile 1.0 is the exact maximum). Seldon's executor uses Go's CKMS summary, whose
 * error is in rank instead; that costs a locked insert of every observation into every age bucket's
 * stream (measured in docs/engine.md, "Metrics").
 *
 * <p>The window is Go's: {@code slots} sub-windows of {@code maxAge / slots}; the quantiles cover the
 * current sub-window and the {@code slots - 1} before it, i.e. the last {@code maxAge} at most and
 * {@code maxAge * (slots - 1) / slots} at least. Count and sum are cumulative, as in Go and Prometheus.
 * Times are passed in ({@link System#nanoTime()} values) so tests can drive the clock.
 */
final class SlidingQuantiles {

    private static final int SUB_BITS = 5;
    static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** Durations are clamped below 2^40 ns (18 minutes): longer ones count as that. */
    private static final int MAX_EXPONENT = 40;

    private static final int COUNTERS = (MAX_EXPONENT - SUB_BITS + 1) * SUB_BUCKETS;

    private final long slotNanos;
    private final Slot[] slots;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sumSeconds = new DoubleAdder();
    private volatile Slot current;

    SlidingQuantiles(long maxAgeNanos, int slots, long nowNanos) {
        if (slots < 1 || maxAgeNanos < slots) {
            throw new IllegalArgumentException("a window of " + maxAgeNanos + " ns cannot have " + slots + " slots");
        }
        this.slotNanos = maxAgeNanos / slots;
        this.slots = new Slot[slots];
        long epoch = Math.floorDiv(nowNanos, slotNanos);
        this.current = this.slots[(int) Math.floorMod(epoch, (long) slots)] = new Slot(epoch);
    }

    /** Counts a duration of {@code nanos} (negative counts as 0) observed at {@code nowNanos}. */
    void observe(long nanos, long nowNanos) {
        long value = Math.max(nanos, 0);
        count.increment();
        sumSeconds.add(value / 1e9);
        Slot slot = current;
        if (Math.floorDiv(nowNanos, slotNanos) != slot.epoch) {
            slot = rotate(nowNanos);
        }
        slot.add(value);
    }

    private synchronized Slot rotate(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, slotNanos);
        Slot slot = current;
        if (slot.epoch == epoch) {
            return slot;
        }
        // A thread still adding to the slot being replaced may land its count in the old one: one lost
        // observation at a boundary, which a sampled statistic can afford, and no lock on the hot path.
        slot = new Slot(epoch);
        slots[(int) Math.floorMod(epoch, (long) slots.length)] = slot;
        current = slot;
        return slot;
    }

    long count() {
        return count.sum();
    }

    double sumSeconds() {
        return sumSeconds.sum();
    }

    /** The {@code quantiles} (each in [0, 1]) in seconds over the window at {@code nowNanos}; NaN when it is empty. */
    synchronized double[] quantiles(double[] quantiles, long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, slotNanos);
        long[] merged = new long[COUNTERS];
        long total = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Slot s : slots) {
            if (s == null || s.epoch > epoch || s.epoch <= epoch - slots.length) {
                continue;
            }
            for (int i = 0; i < COUNTERS; i++) {
                int n = s.counts.get(i);
                merged[i] += n;
                total += n;
            }
            min = Math.min(min, s.min.get());
            max = Math.max(max, s.max.get());
        }
        double[] values = new double[quantiles.length];
        for (int q = 0; q < quantiles.length; q++) {
            values[q] = total == 0 ? Double.NaN : value(merged, total, quantiles[q], min, max) / 1e9;
        }
        return values;
    }

    /** The midpoint of the counter holding the observation of rank ceil(q * total), within [min, max]. */
    private static double value(long[] counts, long total, double q, long min, long max) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        if (rank >= total) {
            return max;
        }
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                double mid = (lowerBound(i) + lowerBound(i + 1) - 1) / 2.0;
                return Math.min(Math.max(mid, min), max);
            }
        }
        return max;
    }

    /**
     * The counter of {@code nanos}: values below {@value #SUB_BUCKETS} ns each have their own; above,
     * each power of two [2^e, 2^(e+1)) is split into {@value #SUB_BUCKETS} equal counters.
     */
    static int index(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        if (exponent >= MAX_EXPONENT) {
            return COUNTERS - 1;
        }
        int shift = exponent - SUB_BITS;
        return ((shift + 1) << SUB_BITS) + (int) ((nanos >>> shift) & (SUB_BUCKETS - 1));
    }

    /** The smallest value of counter {@code index} (the inverse of {@link #index} at a counter's start). */
    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index >>> SUB_BITS) - 1;
        return ((long) SUB_BUCKETS + (index & (SUB_BUCKETS - 1))) << shift;
    }

    /** One sub-window's counters, allocated when it starts. */
    private static final class Slot {
        final long epoch;
        final AtomicIntegerArray counts = new AtomicIntegerArray(COUNTERS);
        final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong max = new AtomicLong(Long.MIN_VALUE);

        Slot(long epoch) {
            this.epoch = epoch;
        }

        void add(long nanos) {
            counts.incrementAndGet(index(nanos));
            long m;
            while (nanos > (m = max.get()) && !max.compareAndSet(m, nanos)) {
                // another thread raised it: compare again
            }
            while (nanos < (m = min.get()) && !min.compareAndSet(m, nanos)) {
                // another thread lowered it: compare again
            }
        }
    }
}
