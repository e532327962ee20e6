package dev.seldonj.engine.client.builtin;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/** Uniform random numbers: reproducible from a {@code seed} parameter, else contention-free. */
final class Randoms {

    private Randoms() {}

    static DoubleSupplier uniform(Long seed) {
        if (seed == null) {
            return () -> ThreadLocalRandom.current().nextDouble();
        }
        SplittableRandom r = new SplittableRandom(seed);
        return () -> {
            synchronized (r) {
                return r.nextDouble();
            }
        };
    }
}
