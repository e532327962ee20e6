package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.engine.exec.EngineException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeldonJsonScannerTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String rewrite(String json, String meta) {
    ByteBuf out = Message.request(utf8(json)).jsonWithMeta(utf8(meta));
    try {
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      out.release();
    }
  }

  @Test
  void replacesMetaAndKeepsEveryOtherFieldByteForByte() {
    String json = "{ \"data\" : {\"names\":[\"a\"],\"ndarray\":[[1.50, 2e3]]},\"meta\":{\"puid\":\"x\"}, \"status\":{} }";

    assertThat(rewrite(json, "{\"puid\":\"y\"}"))
        .isEqualTo("{\"meta\":{\"puid\":\"y\"},\"data\" : {\"names\":[\"a\"],\"ndarray\":[[1.50, 2e3]]},\"status\":{}}");
  }

  @Test
  void keepsScalarsWhole() {
    assertThat(rewrite("{\"strData\":\"a \\\"quoted\\\" text\"}", "{}"))
        .isEqualTo("{\"meta\":{},\"strData\":\"a \\\"quoted\\\" text\"}");
    assertThat(rewrite("{\"jsonData\":12.5}", "{}")).isEqualTo("{\"meta\":{},\"jsonData\":12.5}");
    assertThat(rewrite("{}", "{\"a\":1}")).isEqualTo("{\"meta\":{\"a\":1}}");
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
        .hasMessageContaining("node 'm' answered an invalid SeldonMessage: expected a JSON object, got an array");
  }

  @Test
  void requestsGetPathsInTheirErrors() {
    assertThatThrownBy(() -> Message.request(utf8("{\"data\":{\"tensor\":{\"shape\":[1],\"values\":[true]}}}")))
        .hasMessage("invalid request: data.tensor.values[0]: expected a number, got a boolean");
    assertThat(Message.request(utf8("{\"data\":{\"tensor\":{\"values\":[\"NaN\"]}}}")).meta()).isNull();
  }
}
