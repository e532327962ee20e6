package dev.seldonj.wrapper;

import java.util.Map;

/**
 * How much the wrapper's servers take from a client, read once at start-up from the environment (beside
 * {@link WrapperConfig}, which holds the variables the Python wrapper reads too).
 *
 * @param maxBodyBytes {@code SELDONJ_MAX_BODY_BYTES}: the largest REST body and gRPC message; default a quarter of
 *     the heap (at most 2 GiB). A REST body over it gets 413, a gRPC message RESOURCE_EXHAUSTED, before it is held
 * @param requestReadTimeoutSeconds {@code SELDONJ_REQUEST_READ_TIMEOUT_SECONDS}: the time a client may take to send
 *     a whole request, head and body (slowloris, half-sent requests: the connection is closed); default 60. It sets
 *     the JDK HTTP server's {@code sun.net.httpserver.maxReqTime} unless that property is given
 */
public record WrapperLimits(int maxBodyBytes, int requestReadTimeoutSeconds) {

  public static WrapperLimits fromEnv(Map<String, String> env) {
    long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
    int maxBody = positive(env, "SELDONJ_MAX_BODY_BYTES", (int) Math.min(Integer.MAX_VALUE - 8, quarterHeap));
    int readTimeout = positive(env, "SELDONJ_REQUEST_READ_TIMEOUT_SECONDS", 60);
    return new WrapperLimits(maxBody, readTimeout);
  }

  private static int positive(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(value.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive integer, got '" + value + "'");
  }
}
