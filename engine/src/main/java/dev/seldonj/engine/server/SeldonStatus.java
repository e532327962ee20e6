package dev.seldonj.engine.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.core.EngineException;

/** Seldon's failure body: {@code {"status":{"code":..,"info":..,"reason":..,"status":"FAILURE"}}}. */
public final class SeldonStatus {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SeldonStatus() {}

    public static byte[] failure(int code, String info, String reason) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode status = root.putObject("status");
        status.put("code", code);
        status.put("info", info);
        status.put("reason", reason);
        status.put("status", "FAILURE");
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] failure(EngineException e) {
        return failure(e.httpStatus(), e.getMessage(), e.kind().reason);
    }
}
