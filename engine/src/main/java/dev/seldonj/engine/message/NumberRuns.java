package dev.seldonj.engine.message;

/**
 * Checks runs of plain numbers in a payload array many bytes at a time, where the JVM can: on JDK 25
 * with {@code --add-modules jdk.incubator.vector} (the engine image's configuration) it is
 * {@code VectorNumberRuns}, compiled from {@code src/main/java25} into the jar's
 * {@code META-INF/versions/25}; elsewhere it vouches for nothing and {@link JsonBytes} checks every
 * byte itself. It only ever vouches for bytes that are valid, so errors are always found and worded
 * by {@link JsonBytes}.
 */
public final class NumberRuns {

    /** Runs shorter than this are not worth a vector pass. */
    static final int MIN_BYTES = 64;
    /**
     * How many short runs (fewer than {@link #SHORT_RUN} numbers) one array may have before the rest of it
     * is left to the byte loop: in arrays of exponents or of numbers mixed with other values each pass
     * would stop within a block, and cost more than it saves.
     */
    static final int SHORT_RUNS_PER_ARRAY = 3;

    static final int SHORT_RUN = 4;

    interface Scanner {
        /**
         * From the start of a number at {@code i} (a digit or '-'), the longest prefix of
         * {@code b[i..end)} it can vouch for that is a sequence of numbers each followed by ',' (and at
         * most one space), as {@code (numbers << 32) | indexAfterIt}; {@code i} (zero numbers) when
         * it vouches for nothing.
         */
        long vouch(byte[] b, int i, int end);
    }

    private static final Scanner NONE = (b, i, end) -> i;

    static final Scanner SCANNER = load();

    private NumberRuns() {}

    /** Whether runs are checked by the vector scanner in this JVM. */
    static boolean vectorised() {
        return SCANNER != NONE;
    }

    /** How payload arrays are checked in this JVM, for the start-up log. */
    public static String description() {
        return vectorised()
                ? "with " + SCANNER + " (the vector module on JDK 25)"
                : "in plain Java (vectors need JDK 25 and --add-modules jdk.incubator.vector)";
    }

    /** {@link Scanner#vouch} when at least {@link #MIN_BYTES} are left, else nothing. */
    static long vouch(byte[] b, int i, int end) {
        return end - i < MIN_BYTES ? i : SCANNER.vouch(b, i, end);
    }

    static boolean isShort(long vouched) {
        return count(vouched) < SHORT_RUN;
    }

    static int end(long vouched) {
        return (int) vouched;
    }

    static int count(long vouched) {
        return (int) (vouched >>> 32);
    }

    private static Scanner load() {
        if (Runtime.version().feature() < 25
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return NONE;
        }
        try {
            Object scanner = Class.forName(NumberRuns.class.getPackageName() + ".VectorNumberRuns")
                    .getDeclaredConstructor()
                    .newInstance();
            return scanner instanceof Scanner s ? s : NONE;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // No vector class in this build (built without a JDK 25), or vectors this CPU lacks.
            return NONE;
        }
    }
}
