package dev.seldonj.engine.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON helpers for test components and assertions. */
public final class Messages {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {}

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    /** The message with {@code meta.tags.<name> = true} added, as a Python component adds its tags. */
    public static String tagged(String body, String name) {
        ObjectNode root = (ObjectNode) parse(body);
        ObjectNode meta = root.has("meta") ? (ObjectNode) root.get("meta") : root.putObject("meta");
        ObjectNode tags = meta.has("tags") ? (ObjectNode) meta.get("tags") : meta.putObject("tags");
        tags.put(name, true);
        return root.toString();
    }

    /** A SeldonMessage carrying a single number, as routers answer. */
    public static String route(int branch) {
        return "{\"data\":{\"ndarray\":[[" + branch + "]]}}";
    }

    public static String values(double... v) {
        StringBuilder b = new StringBuilder("{\"data\":{\"tensor\":{\"shape\":[1," + v.length + "],\"values\":[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? "," : "").append(v[i]);
        }
        return b.append("]}}}").toString();
    }
}
