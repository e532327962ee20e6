package dev.seldonj.engine.message;

/**
 * A byte-level JSON reader for what the engine skips over: it checks the syntax of a value and
 * finds its end without building tokens, several times faster than a tokenising parser on large
 * payload arrays. Offsets name the byte of the first problem.
 */
final class JsonBytes {

  static final int MAX_DEPTH = 1000;

  private JsonBytes() {}

  static int ws(byte[] b, int i) {
    while (i < b.length) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  static SeldonJsonScanner.InvalidJson invalid(byte[] b, int i, String what) {
    if (i >= b.length) {
      return new SeldonJsonScanner.InvalidJson("invalid JSON at byte " + i + ": unexpected end of input");
    }
    char c = (char) (b[i] & 0xff);
    String shown = c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("0x%02x", (int) c);
    return new SeldonJsonScanner.InvalidJson("invalid JSON at byte " + i + ": unexpected " + shown
        + (what == null ? "" : ", expected " + what));
  }

  /** What a value starting at {@code i} is, in words for error messages. */
  static String kind(byte[] b, int i) {
    if (i >= b.length) {
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
  static int skipValue(byte[] b, int i, int depth) throws SeldonJsonScanner.InvalidJson {
    if (i >= b.length) {
      throw invalid(b, i, "a value");
    }
    switch (b[i]) {
      case '{':
        return skipObject(b, i, depth + 1);
      case '[':
        return skipArray(b, i, depth + 1);
      case '"':
        return skipString(b, i);
      case 't':
        return literal(b, i, "true");
      case 'f':
        return literal(b, i, "false");
      case 'n':
        return literal(b, i, "null");
      default:
        return skipNumber(b, i);
    }
  }

  static int skipObject(byte[] b, int i, int depth) throws SeldonJsonScanner.InvalidJson {
    if (depth > MAX_DEPTH) {
      throw new SeldonJsonScanner.InvalidJson("invalid JSON at byte " + i + ": nested deeper than " + MAX_DEPTH);
    }
    i = ws(b, i + 1);
    if (i < b.length && b[i] == '}') {
      return i + 1;
    }
    while (true) {
      if (i >= b.length || b[i] != '"') {
        throw invalid(b, i, "a field name");
      }
      i = ws(b, skipString(b, i));
      if (i >= b.length || b[i] != ':') {
        throw invalid(b, i, "':'");
      }
      i = ws(b, skipValue(b, ws(b, i + 1), depth));
      if (i < b.length && b[i] == ',') {
        i = ws(b, i + 1);
      } else if (i < b.length && b[i] == '}') {
        return i + 1;
      } else {
        throw invalid(b, i, "',' or '}'");
      }
    }
  }

  static int skipArray(byte[] b, int i, int depth) throws SeldonJsonScanner.InvalidJson {
    if (depth > MAX_DEPTH) {
      throw new SeldonJsonScanner.InvalidJson("invalid JSON at byte " + i + ": nested deeper than " + MAX_DEPTH);
    }
    i = ws(b, i + 1);
    if (i < b.length && b[i] == ']') {
      return i + 1;
    }
    while (true) {
      i = ws(b, skipValue(b, i, depth));
      if (i < b.length && b[i] == ',') {
        i = ws(b, i + 1);
      } else if (i < b.length && b[i] == ']') {
        return i + 1;
      } else {
        throw invalid(b, i, "',' or ']'");
      }
    }
  }

  static int skipString(byte[] b, int i) throws SeldonJsonScanner.InvalidJson {
    int j = i + 1;
    while (j < b.length) {
      byte c = b[j];
      if (c == '"') {
        return j + 1;
      }
      if (c == '\\') {
        j += 2;
      } else if (c >= 0 && c < 0x20) {
        throw invalid(b, j, "a closing '\"' (control characters must be escaped)");
      } else {
        j++;
      }
    }
    throw invalid(b, b.length, null);
  }

  /** Skips a number; {@code integral[0]} tells whether it had no fraction or exponent. */
  static int skipNumber(byte[] b, int i) throws SeldonJsonScanner.InvalidJson {
    return number(b, i, null);
  }

  static int number(byte[] b, int i, boolean[] integral) throws SeldonJsonScanner.InvalidJson {
    int j = i;
    if (j < b.length && b[j] == '-') {
      j++;
    }
    int digits = j;
    while (j < b.length && b[j] >= '0' && b[j] <= '9') {
      j++;
    }
    if (j == digits) {
      throw invalid(b, j, "a value");
    }
    boolean whole = true;
    if (j < b.length && b[j] == '.') {
      whole = false;
      int frac = ++j;
      while (j < b.length && b[j] >= '0' && b[j] <= '9') {
        j++;
      }
      if (j == frac) {
        throw invalid(b, j, "a digit");
      }
    }
    if (j < b.length && (b[j] == 'e' || b[j] == 'E')) {
      whole = false;
      j++;
      if (j < b.length && (b[j] == '+' || b[j] == '-')) {
        j++;
      }
      int exp = j;
      while (j < b.length && b[j] >= '0' && b[j] <= '9') {
        j++;
      }
      if (j == exp) {
        throw invalid(b, j, "a digit");
      }
    }
    if (integral != null) {
      integral[0] = whole;
    }
    return j;
  }

  private static int literal(byte[] b, int i, String word) throws SeldonJsonScanner.InvalidJson {
    for (int k = 0; k < word.length(); k++) {
      if (i + k >= b.length || b[i + k] != word.charAt(k)) {
        throw invalid(b, i + k, null);
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
    return new String(b, i + 1, end - i - 2, java.nio.charset.StandardCharsets.UTF_8);
  }
}
