package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.engine.core.EngineException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeldonJsonScannerTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String EMPTY_META = "{\"puid\":\"y\",\"tags\":{},\"routing\":{},\"requestPath\":{}}";

    /** The message with its meta replaced by that of a request with puid {@code y} and nothing else. */
    private static String rewrite(String json) {
        ByteBuf in = Unpooled.directBuffer().writeBytes(utf8(json));
        ByteBuf out =
                Message.request(in).jsonWithMeta(new RequestContext("y", List.of(), null), ByteBufAllocator.DEFAULT);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
            assertThat(in.release())
                    .as("the answer holds no reference to the request")
                    .isTrue();
        }
    }

    @Test
    void replacesMetaAndKeepsEveryOtherFieldByteForByte() {
        String json =
                "{ \"data\" : {\"names\":[\"a\"],\"ndarray\":[[1.50, 2e3]]},\"meta\":{\"puid\":\"x\"}, \"status\":{} }";

        assertThat(rewrite(json))
                .isEqualTo("{\"meta\":" + EMPTY_META
                        + ",\"data\" : {\"names\":[\"a\"],\"ndarray\":[[1.50, 2e3]]},\"status\":{}}");
    }

    @Test
    void keepsScalarsWhole() {
        assertThat(rewrite("{\"strData\":\"a \\\"quoted\\\" text\"}"))
                .isEqualTo("{\"meta\":" + EMPTY_META + ",\"strData\":\"a \\\"quoted\\\" text\"}");
        assertThat(rewrite("{\"jsonData\":12.5}")).isEqualTo("{\"meta\":" + EMPTY_META + ",\"jsonData\":12.5}");
        assertThat(rewrite("{}")).isEqualTo("{\"meta\":" + EMPTY_META + "}");
    }

    @Test
    void largePayloadsAreReferencedNotCopiedAndComeOutTheSame() {
        String values = "1.5,".repeat(5000) + "2";
        String json = "{\"status\":{\"code\":0},\"meta\":{},\"data\":{\"ndarray\":[" + values + "]}}";

        assertThat(rewrite(json))
                .isEqualTo("{\"meta\":" + EMPTY_META + ",\"status\":{\"code\":0},\"data\":{\"ndarray\":[" + values
                        + "]}}");
    }

    @Test
    void readsMetaOnly() throws Exception {
        var layout = SeldonJsonScanner.scan(utf8("{\"meta\":{\"tags\":{\"a\":1}},\"binData\":\"AAE=\"}"), true);
        assertThat(layout.meta().at("/tags/a").asInt()).isEqualTo(1);
        assertThat(layout.spanCount()).isEqualTo(2);
    }

    @Test
    void componentAnswersAreNotValidatedBeyondBeingAJsonObject() {
        assertThat(Message.response(utf8("{\"custom\":true}"), "m").meta()).isNull();
        assertThatThrownBy(() -> Message.response(utf8("[1]"), "m"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining(
                        "node 'm' answered an invalid SeldonMessage: expected a JSON object, got an array");
    }

    @Test
    void requestsGetPathsInTheirErrors() {
        assertThatThrownBy(() -> Message.request(utf8("{\"data\":{\"tensor\":{\"shape\":[1],\"values\":[true]}}}")))
                .hasMessage("invalid request: data.tensor.values[0]: expected a number, got a boolean");
        assertThat(Message.request(utf8("{\"data\":{\"tensor\":{\"values\":[\"NaN\"]}}}"))
                        .meta())
                .isNull();
    }
}
