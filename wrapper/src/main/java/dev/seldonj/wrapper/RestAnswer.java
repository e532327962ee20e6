package dev.seldonj.wrapper;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * One REST answer: status, content type, body, and whether the connection ends after it. Errors carry the Python
 * wrapper's body ({@code {"status":{"code":-1,"info":...,"reason":...,"status":1}}}).
 *
 * @param retryAfterSeconds a {@code Retry-After} header when positive (503 answers)
 * @param close the connection is closed once this answer is sent (its request could not be read to its end)
 */
record RestAnswer(int status, String contentType, byte[] body, int retryAfterSeconds, boolean close) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String JSON = "application/json";

    static RestAnswer json(int status, byte[] body) {
        return new RestAnswer(status, JSON, body, 0, false);
    }

    static RestAnswer error(int status, String info, String reason) {
        return json(status, errorBody(-1, info, reason));
    }

    /** An error after which the connection cannot go on: the rest of the request was not read. */
    static RestAnswer closing(int status, String info, String reason) {
        return new RestAnswer(status, JSON, errorBody(-1, info, reason), 0, true);
    }

    /** 503: the server is busy for now, the client may retry after a second. */
    static RestAnswer busy(String info, String reason, boolean close) {
        return new RestAnswer(503, JSON, errorBody(-1, info, reason), 1, close);
    }

    /** The Python wrapper's {@code SeldonMicroserviceException.to_dict()}, keys sorted as Flask writes them. */
    static byte[] errorBody(int code, String info, String reason) {
        ObjectNode status = MAPPER.createObjectNode()
                .put("code", code)
                .put("info", info)
                .put("reason", reason)
                .put("status", 1);
        ObjectNode root = MAPPER.createObjectNode();
        root.set("status", status);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
