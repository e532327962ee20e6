package dev.seldonj.engine.message;

import java.nio.charset.StandardCharsets;

/**
 * A byte-level JSON reader for what the engine skips over: it checks the syntax of a value and
 * finds its end without building tokens, several times faster than a tokenising parser on large
 * payload arrays. The input is {@code b[0..end)} (the array may be a larger reused buffer). Offsets
 * name the byte of the first problem.
 */
final class JsonBytes {

    static final int MAX_DEPTH = 1000;

    private JsonBytes() {}

    static int ws(byte[] b, int i, int end) {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    static SeldonJsonScanner.InvalidJson invalid(byte[] b, int i, int end, String what) {
        if (i >= end) {
            return new SeldonJsonScanner.InvalidJson("invalid JSON at byte " + i + ": unexpected end of input");
        }
        char c = (char) (b[i] & 0xff);
        String shown = c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("0x%02x", (int) c);
        return new SeldonJsonScanner.InvalidJson(
                "invalid JSON at byte " + i + ": unexpected " + shown + (what == null ? "" : ", expected " + what));
    }

    /** What a value starting at {@code i} is, in words for error messages. */
    static String kind(byte[] b, int i, int end) {
        if (i >= end) {
            return "end of input";
        }
        return switch (b[i]) {
            case '{' -> "an object";
            case '[' -> "an array";
            case '"' -> "a string";
            case 't', 'f' -> "a boolean";
            case 'n' -> "null";
            default -> b[i] == '-' || b[i] >= '0' && b[i] <= '9' ? "a number" : "'" + (char) b[i] + "'";
        };
    }

    /** The index after the value starting at {@code i} (no leading whitespace). */
    static int skipValue(byte[] b, int i, int end, int depth) throws SeldonJsonScanner.InvalidJson {
        if (i >= end) {
            throw invalid(b, i, end, "a value");
        }
        switch (b[i]) {
            case '{':
                return skipObject(b, i, end, depth + 1);
            case '[':
                return skipArray(b, i, end, depth + 1);
            case '"':
                return skipString(b, i, end);
            case 't':
                return literal(b, i, end, "true");
            case 'f':
                return literal(b, i, end, "false");
            case 'n':
                return literal(b, i, end, "null");
            default:
                return number(b, i, end, null);
        }
    }

    static int skipObject(byte[] b, int i, int end, int depth) throws SeldonJsonScanner.InvalidJson {
        if (depth > MAX_DEPTH) {
            throw new SeldonJsonScanner.InvalidJson("invalid JSON at byte " + i + ": nested deeper than " + MAX_DEPTH);
        }
        i = ws(b, i + 1, end);
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (i >= end || b[i] != '"') {
                throw invalid(b, i, end, "a field name");
            }
            i = ws(b, skipString(b, i, end), end);
            if (i >= end || b[i] != ':') {
                throw invalid(b, i, end, "':'");
            }
            i = ws(b, skipValue(b, ws(b, i + 1, end), end, depth), end);
            if (i < end && b[i] == ',') {
                i = ws(b, i + 1, end);
            } else if (i < end && b[i] == '}') {
                return i + 1;
            } else {
                throw invalid(b, i, end, "',' or '}'");
            }
        }
    }

    static int skipArray(byte[] b, int i, int end, int depth) throws SeldonJsonScanner.InvalidJson {
        if (depth > MAX_DEPTH) {
            throw new SeldonJsonScanner.InvalidJson("invalid JSON at byte " + i + ": nested deeper than " + MAX_DEPTH);
        }
        i = ws(b, i + 1, end);
        if (i < end && b[i] == ']') {
            return i + 1;
        }
        int shortRuns = NumberRuns.vectorised() ? 0 : NumberRuns.SHORT_RUNS_PER_ARRAY;
        while (true) {
            // Numbers first: they are what large payload arrays are made of.
            if (i < end && (b[i] >= '0' && b[i] <= '9' || b[i] == '-')) {
                if (shortRuns < NumberRuns.SHORT_RUNS_PER_ARRAY) {
                    long run = NumberRuns.vouch(b, i, end);
                    shortRuns += NumberRuns.isShort(run) ? 1 : 0;
                    if (NumberRuns.count(run) > 0) {
                        i = vouchedEnd(b, run, end);
                        continue;
                    }
                }
                i = number(b, i, end, null);
            } else {
                i = skipValue(b, i, end, depth);
            }
            i = ws(b, i, end);
            if (i < end && b[i] == ',') {
                i = ws(b, i + 1, end);
            } else if (i < end && b[i] == ']') {
                return i + 1;
            } else {
                throw invalid(b, i, end, "',' or ']'");
            }
        }
    }

    /** Where the value after a vouched run starts (a comma may be followed by whitespace). */
    static int vouchedEnd(byte[] b, long vouched, int end) {
        return ws(b, NumberRuns.end(vouched), end);
    }

    static int skipString(byte[] b, int i, int end) throws SeldonJsonScanner.InvalidJson {
        int j = i + 1;
        while (j < end) {
            byte c = b[j];
            if (c == '"') {
                return j + 1;
            }
            if (c == '\\') {
                j += 2;
            } else if (c >= 0 && c < 0x20) {
                throw invalid(b, j, end, "a closing '\"' (control characters must be escaped)");
            } else {
                j++;
            }
        }
        throw invalid(b, end, end, null);
    }

    /**
     * Skips a number ({@code -? digits (. digits)? ([eE] [+-]? digits)?}); {@code integral[0]}, when
     * given, tells whether it had no fraction or exponent.
     */
    static int number(byte[] b, int i, int end, boolean[] integral) throws SeldonJsonScanner.InvalidJson {
        int j = i;
        if (j < end && b[j] == '-') {
            j++;
        }
        int digits = j;
        j = digits(b, j, end);
        if (j == digits) {
            throw invalid(b, j, end, "a value");
        }
        boolean whole = true;
        if (j < end && b[j] == '.') {
            whole = false;
            int frac = ++j;
            j = digits(b, j, end);
            if (j == frac) {
                throw invalid(b, j, end, "a digit");
            }
        }
        if (j < end && (b[j] == 'e' || b[j] == 'E')) {
            whole = false;
            j++;
            if (j < end && (b[j] == '+' || b[j] == '-')) {
                j++;
            }
            int exp = j;
            j = digits(b, j, end);
            if (j == exp) {
                throw invalid(b, j, end, "a digit");
            }
        }
        if (integral != null) {
            integral[0] = whole;
        }
        return j;
    }

    /** The index of the first byte at or after {@code i} that is not an ASCII digit. */
    static int digits(byte[] b, int i, int end) {
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    private static int literal(byte[] b, int i, int end, String word) throws SeldonJsonScanner.InvalidJson {
        for (int k = 0; k < word.length(); k++) {
            if (i + k >= end || b[i + k] != word.charAt(k)) {
                throw invalid(b, i + k, end, null);
            }
        }
        return i + word.length();
    }

    /** The raw content of the string starting at {@code i}, or null when it has escapes. */
    static String simpleString(byte[] b, int i, int end) {
        for (int k = i + 1; k < end - 1; k++) {
            if (b[k] == '\\') {
                return null;
            }
        }
        return new String(b, i + 1, end - i - 2, StandardCharsets.UTF_8);
    }
}
