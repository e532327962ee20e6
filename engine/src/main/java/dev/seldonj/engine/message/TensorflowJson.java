package dev.seldonj.engine.message;

import dev.seldonj.engine.core.EngineException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * TensorFlow Serving's REST JSON between steps, as Seldon's executor chains it: a request carries
 * {@code instances} (row format) or {@code inputs} (columnar); a step's answer {@code predictions}
 * becomes the next step's {@code instances} (and, beyond Seldon, a columnar {@code outputs} becomes
 * {@code inputs}). Only the top level is looked at: tensors pass as bytes.
 */
public final class TensorflowJson {

    private static final byte[] INSTANCES = "\"instances\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUTS = "\"inputs\"".getBytes(StandardCharsets.US_ASCII);

    private TensorflowJson() {}

    /** A client's predict request: a JSON object with either {@code instances} (an array) or {@code inputs}. */
    public static void checkRequest(byte[] json) {
        if (json.length == 0) {
            throw EngineException.badRequest("empty request body: expected a TensorFlow predict request JSON "
                    + "({\"instances\": [...]} or {\"inputs\": ...})");
        }
        List<JsonMembers.Member> members;
        try {
            members = JsonMembers.of(json);
        } catch (SeldonJsonScanner.InvalidJson e) {
            throw EngineException.badRequest("invalid request: " + e.getMessage());
        }
        JsonMembers.Member instances = JsonMembers.find(members, "instances");
        JsonMembers.Member inputs = JsonMembers.find(members, "inputs");
        if (instances != null && inputs != null) {
            throw EngineException.badRequest("instances, inputs: set one of them, not both");
        }
        if (instances == null && inputs == null) {
            throw EngineException.badRequest(
                    "instances: missing (a predict request has instances, row format, or inputs, "
                            + "columnar format)");
        }
        if (instances != null && instances.first(json) != '[') {
            throw EngineException.badRequest(
                    "instances: expected an array, got " + JsonBytes.kind(json, instances.valueStart(), json.length));
        }
        if (inputs != null && json[inputs.valueStart()] == 'n') {
            throw EngineException.badRequest("inputs: expected a value or an object of named values, got null");
        }
        JsonMembers.Member signature = JsonMembers.find(members, "signature_name");
        if (signature != null && signature.first(json) != '"') {
            throw EngineException.badRequest("signature_name: expected a string, got "
                    + JsonBytes.kind(json, signature.valueStart(), json.length));
        }
    }

    /**
     * The message as the request of the next step: a request as it is; an answer's {@code predictions}
     * renamed {@code instances}, {@code outputs} renamed {@code inputs} (only the key's bytes change).
     */
    public static byte[] asRequest(byte[] json, String node) {
        List<JsonMembers.Member> members;
        try {
            members = JsonMembers.of(json);
        } catch (SeldonJsonScanner.InvalidJson e) {
            throw new EngineException(
                    EngineException.Kind.INVALID_RESPONSE,
                    "node '" + node + "' got an invalid " + "TensorFlow message: " + e.getMessage());
        }
        if (JsonMembers.find(members, "instances") != null || JsonMembers.find(members, "inputs") != null) {
            return json;
        }
        JsonMembers.Member predictions = JsonMembers.find(members, "predictions");
        if (predictions != null) {
            return renameKey(json, predictions, INSTANCES);
        }
        JsonMembers.Member outputs = JsonMembers.find(members, "outputs");
        if (outputs != null) {
            return renameKey(json, outputs, INPUTS);
        }
        throw new EngineException(
                EngineException.Kind.INVALID_RESPONSE,
                "cannot pass the message to node '" + node
                        + "': it has none of instances, inputs, predictions, outputs (fields: "
                        + members.stream().map(JsonMembers.Member::name).toList() + ")");
    }

    private static byte[] renameKey(byte[] json, JsonMembers.Member member, byte[] newKey) {
        byte[] out = new byte[json.length - (member.keyEnd() - member.keyStart()) + newKey.length];
        System.arraycopy(json, 0, out, 0, member.keyStart());
        System.arraycopy(newKey, 0, out, member.keyStart(), newKey.length);
        System.arraycopy(json, member.keyEnd(), out, member.keyStart() + newKey.length, json.length - member.keyEnd());
        return out;
    }
}
