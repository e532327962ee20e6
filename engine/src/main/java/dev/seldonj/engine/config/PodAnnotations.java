package dev.seldonj.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pod annotations as Kubernetes' downward API writes them ({@code key="value"} per line, value
 * Go-quoted), plus the predictor's and deployment's own annotations when the graph came from a file.
 */
public final class PodAnnotations {

    public static final String REST_TIMEOUT = "seldon.io/rest-timeout";
    public static final String GRPC_TIMEOUT = "seldon.io/grpc-timeout";
    public static final String GRPC_MAX_MESSAGE_SIZE = "seldon.io/grpc-max-message-size";
    /** Beyond Seldon: largest REST body, in bytes. */
    public static final String REST_MAX_BODY = "seldon.io/rest-max-body-size";
    /** Beyond Seldon: comma-separated node names (or {@code *}) called with form field {@code json=}. */
    public static final String REST_FORM_NODES = "seldon.io/rest-form-encoded-nodes";
    /** Payload logger queue size (Seldon's executor annotation). */
    public static final String LOGGER_QUEUE_SIZE = "seldon.io/executor-logger-queue-size";
    /** Payload logger write timeout in ms (Seldon's executor annotation). */
    public static final String LOGGER_WRITE_TIMEOUT = "seldon.io/executor-logger-write-timeout-ms";

    private final Map<String, String> values;

    public PodAnnotations(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static PodAnnotations empty() {
        return new PodAnnotations(Map.of());
    }

    /** Reads the downward-API file; a missing file means no annotations (the engine runs outside a pod). */
    public static PodAnnotations read(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return empty();
        }
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read pod annotations from " + file + ": " + e.getMessage(), e);
        }
    }

    public static PodAnnotations parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String raw = line.substring(eq + 1).trim();
            values.put(key, unquote(raw));
        }
        return new PodAnnotations(values);
    }

    /** Adds entries that are not already present (file annotations win over manifest ones). */
    public PodAnnotations withFallback(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (more != null) {
            merged.putAll(more);
        }
        merged.putAll(values);
        return new PodAnnotations(merged);
    }

    public Map<String, String> values() {
        return values;
    }

    long positiveLong(String key, long fallback) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(v.trim());
            if (parsed <= 0) {
                throw new IllegalArgumentException(
                        "annotation " + key + " must be a positive integer, got '" + v + "'");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("annotation " + key + " must be a positive integer, got '" + v + "'");
        }
    }

    int nonNegativeInt(String key, int fallback) {
        long v = integer(key, fallback);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("annotation " + key + " must be an integer from 0 to "
                    + Integer.MAX_VALUE + ", got '" + values.get(key) + "'");
        }
        return (int) v;
    }

    long integer(String key, long fallback) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("annotation " + key + " must be an integer, got '" + v + "'");
        }
    }

    Set<String> csv(String key, Set<String> fallback) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static String unquote(String raw) {
        if (raw.length() < 2 || raw.charAt(0) != '"' || raw.charAt(raw.length() - 1) != '"') {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() - 1) {
                char n = raw.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    default -> out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
