package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.engine.core.EngineException;
import io.seldon.protos.PredictionProtos.Feedback;
import java.io.IOException;

/**
 * A feedback request ({@code request}, {@code response}, {@code reward}, {@code truth}). Feedback is
 * not on the hot path, so it is parsed once into protobuf (which validates it); REST components still
 * get the bytes as the client sent them.
 */
public final class FeedbackMessage {

    private final byte[] json;
    private final Feedback proto;

    private FeedbackMessage(byte[] json, Feedback proto) {
        this.json = json;
        this.proto = proto;
    }

    /**
     * A client's feedback: checked as its request is (unknown fields, types, one payload per message, naming the
     * JSON path), then parsed.
     */
    public static FeedbackMessage request(byte[] json) {
        check(json);
        return new FeedbackMessage(json, ProtoJson.feedback(json, "feedback request"));
    }

    private static void check(byte[] json) {
        JsonNode root;
        try {
            root = SeldonJsonScanner.MAPPER.readTree(json);
        } catch (IOException e) {
            throw EngineException.badRequest("invalid feedback request: invalid JSON: " + JsonProblems.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw EngineException.badRequest("invalid feedback request: expected a JSON object");
        }
        var fields = root.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            switch (f.getKey()) {
                case "request", "response", "truth" -> {
                    if (!f.getValue().isObject()) {
                        throw EngineException.badRequest("invalid feedback request: " + f.getKey()
                                + ": expected an object (a " + "SeldonMessage), got "
                                + f.getValue().getNodeType().name().toLowerCase());
                    }
                    try {
                        SeldonJsonScanner.scan(SeldonJsonScanner.MAPPER.writeValueAsBytes(f.getValue()), true);
                    } catch (SeldonJsonScanner.InvalidJson e) {
                        throw EngineException.badRequest(
                                "invalid feedback request: " + f.getKey() + "." + e.getMessage());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                case "reward" -> {
                    if (!f.getValue().isNumber()) {
                        throw EngineException.badRequest("invalid feedback request: reward: expected a number, got "
                                + f.getValue().getNodeType().name().toLowerCase());
                    }
                }
                default ->
                    throw EngineException.badRequest("invalid feedback request: " + f.getKey()
                            + ": unknown field (feedback has request, response, reward, truth)");
            }
        }
    }

    public static FeedbackMessage of(Feedback proto) {
        return new FeedbackMessage(null, proto);
    }

    /** Whether the feedback arrived as JSON (REST) rather than protobuf (gRPC). */
    public boolean isJson() {
        return json != null;
    }

    /** The JSON bytes as the client sent them (never modified), or null for gRPC feedback. */
    public byte[] jsonIfHeld() {
        return json;
    }

    public byte[] json() {
        return json != null ? json : ProtoJson.json(proto);
    }

    public Feedback proto() {
        return proto;
    }

    public float reward() {
        return proto.getReward();
    }

    /** The branch this node took for the original prediction; -1 (all children) when not recorded. */
    public int routing(String node) {
        return proto.getResponse().getMeta().getRoutingOrDefault(node, -1);
    }

    /** The puid of the prediction this feedback is about, or empty. */
    public String puid() {
        String p = proto.getResponse().getMeta().getPuid();
        return p.isEmpty() ? proto.getRequest().getMeta().getPuid() : p;
    }
}
