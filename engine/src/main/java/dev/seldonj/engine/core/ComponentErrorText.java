package dev.seldonj.engine.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The message a REST component put in its error answer, for clients that cannot receive the body itself
 * (gRPC): Seldon's {@code status.info} (with {@code status.reason}), the Open Inference Protocol's
 * {@code error}, or else the body's text, shortened.
 */
final class ComponentErrorText {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_CHARS = 1024;

    private ComponentErrorText() {}

    static String of(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.isObject()) {
                JsonNode status = root.path("status");
                if (status.path("info").isTextual()) {
                    String reason = status.path("reason").asText("");
                    return shorten(status.path("info").asText() + (reason.isEmpty() ? "" : " (" + reason + ")"));
                }
                if (root.path("error").isTextual()) {
                    return shorten(root.path("error").asText());
                }
            }
        } catch (IOException e) {
            // not JSON: the text itself
        }
        return shorten(new String(body, StandardCharsets.UTF_8).strip());
    }

    private static String shorten(String s) {
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "…";
    }
}
