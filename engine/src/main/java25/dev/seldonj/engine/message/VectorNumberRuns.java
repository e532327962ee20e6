package dev.seldonj.engine.message;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NumberRuns.Scanner} with SIMD: each block of bytes becomes bit masks (digit, '.', 'e' or 'E',
 * '+', '-', ',', ' ', anything else) and the number grammar is checked on the masks with shifts, so a
 * block costs a few dozen instructions whatever its content. What it accepts is exactly
 * {@code number (", " | ",") number ...} with JSON's numbers ({@code -?digits(.digits)?([eE][+-]?digits)?};
 * leading zeros pass, as in {@link JsonBytes}); other whitespace and anything else end the run where
 * they start, and {@link JsonBytes} takes over there.
 */
final class VectorNumberRuns implements NumberRuns.Scanner {

    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int TOP = LANES - 1;
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
        // The class of the byte before the block: the run starts as if after a comma.
        boolean prevDigit = false, prevComma = true, prevSpace = false, prevExp = false;
        // Whether that byte needs a digit next ('.', '-', '+'); after ',' or ' ' a value is needed, after
        // 'e' an exponent's sign or digit.
        boolean needDigit = false;
        // In the order of the '.', 'e' and ',' seen so far, whether the last one was a '.' or an 'e'.
        long lastWasDot = 0, lastWasExp = 0;
        for (int base = i; base + LANES <= end; base += LANES) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, base);
            long digit = v.compare(VectorOperators.GE, (byte) '0')
                    .and(v.compare(VectorOperators.LE, (byte) '9'))
                    .toLong();
            long dot = v.eq((byte) '.').toLong();
            long exp = v.or((byte) 0x20).eq((byte) 'e').toLong(); // 'e' or 'E'; no other byte ORs to 'e'
            long plus = v.eq((byte) '+').toLong();
            long minus = v.eq((byte) '-').toLong();
            long comma = v.eq((byte) ',').toLong();
            long space = v.eq((byte) ' ').toLong();
            long other = ~(digit | dot | exp | plus | minus | comma | space) & ALL;
            // Only the bytes before the first other one are judged; the run ends there.
            long in = other == 0 ? ALL : Long.lowestOneBit(other) - 1;
            digit &= in;
            dot &= in;
            exp &= in;
            plus &= in;
            minus &= in;
            comma &= in;
            space &= in;

            // What each byte follows.
            long afterDigit = (digit << 1) | (prevDigit ? 1 : 0);
            long afterComma = (comma << 1) | (prevComma ? 1 : 0);
            long afterSpace = (space << 1) | (prevSpace ? 1 : 0);
            long afterExp = (exp << 1) | (prevExp ? 1 : 0);
            long bad = ((dot | exp | comma) & ~afterDigit)
                    | (space & ~afterComma)
                    | (plus & ~afterExp)
                    | (minus & ~(afterComma | afterSpace | afterExp));
            // What each byte precedes, for the bytes whose next byte is in this block; the last byte's
            // need is carried to the next block.
            long hasNext = in >>> 1;
            long beforeDigit = digit >>> 1;
            long beforeValue = beforeDigit | (minus >>> 1);
            bad |= hasNext
                    & (((dot | minus | plus) & ~beforeDigit)
                            | (exp & ~(beforeValue | (plus >>> 1)))
                            | (comma & ~(beforeValue | (space >>> 1)))
                            | (space & ~beforeValue));
            if ((in & 1) != 0) {
                long first = needDigit
                        ? digit
                        : prevExp
                                ? digit | minus | plus
                                : prevComma || prevSpace ? digit | minus | (prevComma ? space : 0) : 1;
                bad |= ~first & 1;
            }
            // Per number at most one '.', at most one 'e', and no '.' after its 'e': in the order of the
            // '.', 'e' and ',' bytes, no '.' or 'e' follows a '.' twice, an 'e' twice, or a '.' an 'e'.
            long separators = dot | exp | comma;
            int count = Long.bitCount(separators);
            long dots = (Long.compress(dot, separators) << 1) | lastWasDot;
            // Most payloads have no exponents: their blocks skip the second compress.
            long exps = (exp | lastWasExp) == 0 ? 0 : (Long.compress(exp, separators) << 1) | lastWasExp;
            long pairs = count >= 63 ? -1L : (1L << count) - 1;
            bad |= (dots & (dots >>> 1) | exps & (exps >>> 1) | exps & (dots >>> 1)) & pairs;
            if (bad != 0) {
                return i; // JsonBytes finds and words the problem
            }
            if (comma != 0) {
                vouched = base + 64 - Long.numberOfLeadingZeros(comma);
                numbers += Long.bitCount(comma);
            }
            if (other != 0) {
                break;
            }
            if (count > 0) {
                lastWasDot = (dots >>> count) & 1;
                lastWasExp = (exps >>> count) & 1;
            }
            prevDigit = (digit >>> TOP & 1) != 0;
            prevComma = (comma >>> TOP & 1) != 0;
            prevSpace = (space >>> TOP & 1) != 0;
            prevExp = (exp >>> TOP & 1) != 0;
            needDigit = ((dot | minus | plus) >>> TOP & 1) != 0;
        }
        return numbers << 32 | vouched;
    }
}
