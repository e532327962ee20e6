package dev.seldonj.engine.config;

import java.util.Arrays;
import java.util.List;

/**
 * Which browser origins may call the engine, and which request headers they may send: Seldon's
 * executor reads {@code CORS_ALLOWED_ORIGINS} (comma-separated, default {@code *}) and
 * {@code CORS_ALLOWED_HEADERS}; both are read once at start-up.
 *
 * @param allowedOrigins origins answered with {@code Access-Control-Allow-Origin}; {@code *} allows any
 * @param allowedHeaders the {@code Access-Control-Allow-Headers} value
 */
public record CorsPolicy(List<String> allowedOrigins, String allowedHeaders) {

    /** The request headers Seldon's executor allows. */
    public static final String DEFAULT_ALLOWED_HEADERS =
            "Accept, Accept-Encoding, Authorization, Content-Length, Content-Type, X-CSRF-Token";

    public static final CorsPolicy DEFAULT = new CorsPolicy(List.of("*"), DEFAULT_ALLOWED_HEADERS);

    public CorsPolicy {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** From the environment variables' values; null or blank means the default. */
    public static CorsPolicy of(String origins, String headers) {
        List<String> o = origins == null || origins.isBlank()
                ? DEFAULT.allowedOrigins
                : Arrays.stream(origins.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        return new CorsPolicy(
                o.isEmpty() ? DEFAULT.allowedOrigins : o,
                headers == null || headers.isBlank() ? DEFAULT_ALLOWED_HEADERS : headers.trim());
    }

    public boolean anyOrigin() {
        return allowedOrigins.contains("*");
    }
}
