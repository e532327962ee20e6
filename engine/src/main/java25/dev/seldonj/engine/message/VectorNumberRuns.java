package dev.seldonj.engine.message;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NumberRuns.Scanner} with SIMD: each block of bytes becomes bit masks (digit, '.', ',', ' ',
 * '-', anything else) and the number grammar is checked on the masks with shifts, so a block costs
 * a few dozen instructions whatever its content. What it accepts is exactly {@code number (", " |
 * ",") number ...} with numbers of the form {@code -?digits(.digits)?}; exponents, other whitespace
 * and anything else end the run where they start, and {@link JsonBytes} takes over there.
 */
final class VectorNumberRuns implements NumberRuns.Scanner {

    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** The mask of a whole block. */
    private static final long ALL = LANES == 64 ? -1L : (1L << LANES) - 1;

    VectorNumberRuns() {
        if (LANES < 16 || LANES > 64) {
            throw new IllegalStateException("no useful byte vectors here: " + LANES + " lanes");
        }
    }

    @Override
    public String toString() {
        return LANES * 8 + "-bit vectors";
    }

    @Override
    public long vouch(byte[] b, int i, int end) {
        int vouched = i;
        long numbers = 0;
        // The byte before the block: the run starts as if after a comma.
        boolean prevDigit = false, prevComma = true, prevSpace = false;
        // The last byte of the block before needs a digit next ('.', '-'), or a value next (',', ' ').
        boolean needDigit = false, needValue = false;
        // Whether the last of the '.' and ',' seen so far was a '.': a second '.' before a ',' is invalid.
        long lastSeparatorWasDot = 0;
        for (int base = i; base + LANES <= end; base += LANES) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, base);
            long digit = v.compare(VectorOperators.GE, (byte) '0')
                    .and(v.compare(VectorOperators.LE, (byte) '9'))
                    .toLong();
            long dot = v.eq((byte) '.').toLong();
            long comma = v.eq((byte) ',').toLong();
            long space = v.eq((byte) ' ').toLong();
            long minus = v.eq((byte) '-').toLong();
            long other = ~(digit | dot | comma | space | minus) & ALL;
            // Only the bytes before the first other one are judged; the run ends there.
            long in = other == 0 ? ALL : Long.lowestOneBit(other) - 1;
            digit &= in;
            dot &= in;
            comma &= in;
            space &= in;
            minus &= in;

            long afterDigit = (digit << 1) | (prevDigit ? 1 : 0);
            long afterComma = (comma << 1) | (prevComma ? 1 : 0);
            long afterSpace = (space << 1) | (prevSpace ? 1 : 0);
            long bad = (dot & ~afterDigit)
                    | (comma & ~afterDigit)
                    | (space & ~afterComma)
                    | (minus & ~(afterComma | afterSpace));
            // Bytes whose next byte is judged in this block; the last one's is carried to the next block.
            long hasNext = in >>> 1;
            long beforeDigit = digit >>> 1;
            long beforeValue = beforeDigit | (minus >>> 1);
            bad |= ((dot | minus) & hasNext & ~beforeDigit)
                    | (comma & hasNext & ~(beforeValue | (space >>> 1)))
                    | (space & hasNext & ~beforeValue);
            if ((in & 1) != 0) {
                long first = needDigit ? digit : needValue ? digit | minus | (prevComma ? space : 0) : 1;
                bad |= ~first & 1;
            }
            long separators = dot | comma;
            int count = Long.bitCount(separators);
            long order = (Long.compress(dot, separators) << 1) | lastSeparatorWasDot;
            long pairs = count >= 63 ? -1L : (1L << count) - 1;
            bad |= order & (order >>> 1) & pairs;
            if (bad != 0) {
                return i; // JsonBytes finds and words the problem
            }
            if (comma != 0) {
                vouched = base + 64 - Long.numberOfLeadingZeros(comma);
                numbers += Long.bitCount(comma);
                // The count so far is of commas up to the last one: later blocks add theirs.
            }
            if (other != 0) {
                break;
            }
            if (count > 0) {
                lastSeparatorWasDot = (order >>> count) & 1;
            }
            int top = LANES - 1;
            prevDigit = (digit >>> top & 1) != 0;
            prevComma = (comma >>> top & 1) != 0;
            prevSpace = (space >>> top & 1) != 0;
            needDigit = ((dot | minus) >>> top & 1) != 0;
            needValue = prevComma || prevSpace;
        }
        return numbers << 32 | vouched;
    }
}
