package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.core.EngineException;
import java.io.IOException;

/**
 * Open Inference Protocol (v2) messages between steps: a step's answer ({@code outputs}) becomes the
 * next step's request ({@code inputs}), as Seldon's executor chains them. Requests pass untouched.
 */
public final class V2Chain {

    private V2Chain() {}

    /** A v2 client request: a JSON object with an {@code inputs} array of named tensors. */
    public static void checkRequest(byte[] json) {
        JsonNode root;
        try {
            root = SeldonJsonScanner.MAPPER.readTree(json);
        } catch (IOException e) {
            throw EngineException.badRequest("invalid JSON: " + JsonProblems.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw EngineException.badRequest("expected a JSON object (an inference request)");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw EngineException.badRequest("inputs: expected an array of tensors");
        }
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode t = inputs.get(i);
            String path = "inputs[" + i + "]";
            if (!t.isObject()) {
                throw EngineException.badRequest(path + ": expected an object");
            }
            if (!t.path("name").isTextual()) {
                throw EngineException.badRequest(path + ".name: expected a string");
            }
            if (!t.path("datatype").isTextual()) {
                throw EngineException.badRequest(path + ".datatype: expected a string");
            }
            if (!t.path("shape").isArray()) {
                throw EngineException.badRequest(path + ".shape: expected an array of integers");
            }
            if (!t.has("data")) {
                throw EngineException.badRequest(path + ".data: missing");
            }
        }
    }

    /** The message as a request: an answer's {@code outputs} renamed {@code inputs}. */
    public static byte[] asRequest(byte[] json) {
        try {
            JsonNode root = SeldonJsonScanner.MAPPER.readTree(json);
            if (!(root instanceof ObjectNode o)
                    || o.has("inputs")
                    || !(o.get("outputs") instanceof ArrayNode outputs)) {
                return json;
            }
            o.remove("outputs");
            o.remove("model_name");
            o.remove("model_version");
            o.set("inputs", outputs);
            return SeldonJsonScanner.MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new EngineException(
                    EngineException.Kind.INVALID_RESPONSE,
                    "invalid inference response JSON: " + JsonProblems.describe(e));
        }
    }
}
