package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The number-run scanner only ever vouches for valid bytes, so large payloads get the same verdict and
 * the same error (same byte, same words) with it as without. The build runs this class twice: on the
 * build's JDK (plain Java) and, given a JDK 25, on that JDK with the vector module, where it must be
 * the vector scanner ({@code seldonj.test.expectVector}).
 */
class NumberRunsTest {

    /** A vouched run is JSON numbers, each followed by a comma and at most one space. */
    private static final Pattern NUMBER_AND_COMMA = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?,");

    private static boolean isRun(String s) {
        // Token by token: one regex over a long run would recurse once per number.
        int i = 0;
        while (i < s.length()) {
            int comma = s.indexOf(',', i);
            if (comma < 0
                    || !NUMBER_AND_COMMA.matcher(s.substring(i, comma + 1)).matches()) {
                return false;
            }
            i = comma + 1 < s.length() && s.charAt(comma + 1) == ' ' ? comma + 2 : comma + 1;
        }
        return true;
    }

    private static final int ROW = 1000;
    private static final String NUMBER = "0.123456";

    @Test
    void theVectorScannerIsUsedWhereExpected() {
        assertThat(NumberRuns.vectorised()).isEqualTo(Boolean.getBoolean("seldonj.test.expectVector"));
    }

    /** An ndarray of rows of {@link #ROW} numbers with the token at {@code index} replaced. */
    private static String ndarray(int rows, String separator, int index, String token) {
        StringBuilder sb = new StringBuilder("{\"data\":{\"ndarray\":[");
        int k = 0;
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "[" : "," + separator + "[");
            for (int c = 0; c < ROW; c++, k++) {
                sb.append(c == 0 ? "" : "," + separator).append(k == index ? token : NUMBER);
            }
            sb.append(']');
        }
        return sb.append("]}}").toString();
    }

    private static SeldonJsonScanner.Layout scan(String json) throws SeldonJsonScanner.InvalidJson {
        return SeldonJsonScanner.scan(json.getBytes(StandardCharsets.US_ASCII), true);
    }

    @ParameterizedTest(name = "{0} -> problem at +{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0.12.456 | 4", // a second '.'
                "0..23456 | 2",
                "0.12345- | 7",
                "-.123456 | 1",
                "0.1234 6 | 7", // a space inside a number: the problem is the digit after it
                "0.12345. | 7", // a number cannot end in '.'
                "0.12345e | 8", // nothing after 'e'
                "1.2,,3.4 | 4",
                "00.1a456 | 4",
                "0.1\t3456 | 4",
                "1.5e+-56 | 5", // a second sign
                "1.5e5.56 | 5", // a '.' in the exponent
                "1e5e5123 | 3", // a second exponent
                "1.5E+ab6 | 5",
                "1.5+e056 | 3",
            })
    void aBadNumberIsFoundAtTheSameByteWhereverItSits(String token, int problemOffset) {
        // Token indexes 100..171 put the problem at every offset within a 64-byte block.
        for (int index = 100; index < 172; index++) {
            String json = ndarray(3, "", index, token);
            int at = json.indexOf(token) + problemOffset;
            assertThatThrownBy(() -> scan(json))
                    .as("token %s at index %d", token, index)
                    .isInstanceOf(SeldonJsonScanner.InvalidJson.class)
                    .hasMessageStartingWith("invalid JSON at byte " + at + ": unexpected ");
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"-12.5", "7", "-0", "1e5", "2.5E-3", "-1.5e+07", "1E05", "123456789012345678"})
    void validNumbersPassInEitherSeparatorStyle(String token) {
        for (String separator : new String[] {"", " "}) {
            for (int index = 100; index < 172; index += 7) {
                String json = ndarray(3, separator, index, token);
                assertThatCode(() -> scan(json)).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void tensorValuesCountTheNumbersARunVouchedFor() {
        StringBuilder values = new StringBuilder();
        for (int k = 0; k < 500; k++) {
            values.append(k % 3 == 0 ? "-1.25, " : "42,");
        }
        String json = "{\"data\":{\"tensor\":{\"shape\":[501],\"values\":[" + values + "true]}}}";
        assertThatThrownBy(() -> scan(json))
                .isInstanceOf(SeldonJsonScanner.InvalidJson.class)
                .hasMessage("data.tensor.values[500]: expected a number, got a boolean");
    }

    @Test
    void randomBytesAreNeverVouchedForUnlessTheyAreARun() {
        assumeTrue(NumberRuns.vectorised(), "the plain-Java build vouches for nothing");
        Random random = new Random(17);
        String alphabet = "0123456789012345678901234567890123456789.,,,- eE+]";
        int vouched = 0;
        for (int t = 0; t < 200_000; t++) {
            StringBuilder sb = new StringBuilder();
            int length = 64 + random.nextInt(400);
            // Mostly well-formed numbers, then a few random bytes anywhere.
            while (sb.length() < length) {
                sb.append(random.nextInt(5) == 0 ? "-" : "").append(random.nextInt(100_000));
                if (random.nextBoolean()) {
                    sb.append('.').append(random.nextInt(1000));
                }
                if (random.nextInt(4) == 0) {
                    sb.append(random.nextBoolean() ? 'e' : 'E')
                            .append(random.nextBoolean() ? "" : random.nextBoolean() ? "+" : "-")
                            .append(random.nextInt(40));
                }
                sb.append(random.nextInt(4) == 0 ? ", " : ",");
            }
            char[] chars = sb.toString().toCharArray();
            for (int m = random.nextInt(4); m > 0; m--) {
                chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            byte[] b = new String(chars).getBytes(StandardCharsets.US_ASCII);
            int start = random.nextInt(3);
            if (!(b[start] == '-' || b[start] >= '0' && b[start] <= '9')) {
                continue;
            }
            long run = NumberRuns.SCANNER.vouch(b, start, b.length);
            String claimed = new String(b, start, NumberRuns.end(run) - start, StandardCharsets.US_ASCII);
            assertThat(isRun(claimed)).as("vouched for %s", claimed).isTrue();
            assertThat(NumberRuns.count(run))
                    .isEqualTo(claimed.chars().filter(c -> c == ',').count());
            vouched += NumberRuns.count(run) > 0 ? 1 : 0;
        }
        assertThat(vouched).as("runs vouched for").isGreaterThan(10_000);
    }

    @Test
    void aLongValidRunIsVouchedForAllButItsLastPartBlock() {
        assumeTrue(NumberRuns.vectorised(), "the plain-Java build vouches for nothing");
        byte[] b = ndarray(1, " ", -1, "").getBytes(StandardCharsets.US_ASCII);
        int start = "{\"data\":{\"ndarray\":[[".length();
        long run = NumberRuns.SCANNER.vouch(b, start, b.length);
        // Blocks are at most 64 bytes, a number and its ", " 10.
        assertThat(NumberRuns.count(run)).isBetween(ROW - 1 - 64 / 10 - 1, ROW - 1);
        assertThat(isRun(new String(b, start, NumberRuns.end(run) - start, StandardCharsets.US_ASCII)))
                .isTrue();
    }
}
