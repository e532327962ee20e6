package dev.seldonj.engine.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.core.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * The status answer of a node that has no health call of its own (a built-in, or a gRPC service
 * without one): Seldon's success status, {@code {"status":{"code":200,"info":..,"status":"SUCCESS"}}}.
 */
public final class NodeStatus {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NodeStatus() {}

    public static byte[] success(String info) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("status").put("code", 200).put("info", info).put("status", "SUCCESS");
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Success when the node accepts TCP connections, else 503 naming it. */
    static CompletableFuture<byte[]> fromProbe(String node, CompletableFuture<Boolean> probe) {
        return probe.thenApply(up -> {
            if (!up) {
                throw new EngineException(
                        EngineException.Kind.UNAVAILABLE, "node '" + node + "' does not accept connections");
            }
            return success("node '" + node + "' accepts connections");
        });
    }
}
