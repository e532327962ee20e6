package dev.seldonj.engine.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A SeldonMessage's {@code status.status} as the API documents it, {@code "SUCCESS"} or {@code "FAILURE"}: a
 * component that writes the protobuf enum's number (0, 1) or another spelling is normalised on the way out;
 * its code, reason and info are kept as they are. Also in a component's error body passed through (the Python
 * wrapper answers {@code "status": 1}).
 */
public final class StatusFlag {

    private static final byte[] KEY = "\"status\"".getBytes(StandardCharsets.US_ASCII);

    private StatusFlag() {}

    /** Whether the top-level member at {@code [from, to)} of {@code json} is {@code "status":...}. */
    static boolean isStatusMember(ByteBuf json, int from, int to) {
        if (to - from < KEY.length) {
            return false;
        }
        for (int i = 0; i < KEY.length; i++) {
            if (json.getByte(from + i) != KEY[i]) {
                return false;
            }
        }
        return true;
    }

    /** The member {@code "status":{...}} with its flag normalised, or null when it needs no change. */
    static byte[] normalised(ByteBuf json, int from, int to) {
        byte[] member = new byte[to - from];
        json.getBytes(from, member);
        try {
            ObjectNode holder = (ObjectNode) SeldonJsonScanner.MAPPER.readTree(concat("{", member, "}"));
            if (!(holder.get("status") instanceof ObjectNode status) || !status.has("status")) {
                return null;
            }
            JsonNode flag = status.get("status");
            String want = want(flag);
            if (flag.isTextual() && flag.asText().equals(want)) {
                return null;
            }
            status.put("status", want);
            byte[] object = SeldonJsonScanner.MAPPER.writeValueAsBytes(holder);
            return Arrays.copyOfRange(object, 1, object.length - 1);
        } catch (IOException | ClassCastException e) {
            return null; // not ours to judge here: the bytes pass as the component wrote them
        }
    }

    /** A whole body (a component's error answer) with its {@code status.status} normalised; as it is otherwise. */
    public static byte[] normalisedBody(byte[] body) {
        if (body == null || body.length == 0 || body[0] != '{') {
            return body;
        }
        try {
            if (!(SeldonJsonScanner.MAPPER.readTree(body) instanceof ObjectNode root)
                    || !(root.get("status") instanceof ObjectNode status)
                    || !status.has("status")) {
                return body;
            }
            JsonNode flag = status.get("status");
            String want = want(flag);
            if (flag.isTextual() && flag.asText().equals(want)) {
                return body;
            }
            status.put("status", want);
            return SeldonJsonScanner.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            return body;
        }
    }

    private static String want(JsonNode flag) {
        return flag.isNumber()
                ? (flag.asInt() == 0 ? "SUCCESS" : "FAILURE")
                : flag.isTextual() && flag.asText().equalsIgnoreCase("SUCCESS") ? "SUCCESS" : "FAILURE";
    }

    private static byte[] concat(String open, byte[] middle, String close) {
        byte[] out = new byte[middle.length + 2];
        out[0] = (byte) open.charAt(0);
        System.arraycopy(middle, 0, out, 1, middle.length);
        out[out.length - 1] = (byte) close.charAt(0);
        return out;
    }
}
