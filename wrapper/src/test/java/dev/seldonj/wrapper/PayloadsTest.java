package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.protocol.SeldonJson;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  @Test
  void readsTensorsAndNdarraysAsRows() {
    SeldonMessage tensor = SeldonJson.parseMessage("{\"data\":{\"tensor\":{\"shape\":[2,2],\"values\":[0,0,1,1]}}}");
    assertThat(Payloads.matrix(tensor)).isDeepEqualTo(new double[][] {{0, 0}, {1, 1}});
    SeldonMessage ndarray = SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1,2,5]]}}");
    assertThat(Payloads.matrix(ndarray)).isDeepEqualTo(new double[][] {{1, 2, 5}});
    SeldonMessage flat = SeldonJson.parseMessage("{\"data\":{\"ndarray\":[1,2]}}");
    assertThat(Payloads.matrix(flat)).isDeepEqualTo(new double[][] {{1, 2}});
  }

  @Test
  void nonNumericInputIsBadDataNamingThePath() {
    assertThatThrownBy(() -> Payloads.matrix(SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1,\"a\"]]}}")))
        .isInstanceOf(SeldonComponentException.class)
        .hasMessage("data.ndarray[0][1]: expected a number, got \"a\"");
    assertThatThrownBy(() -> Payloads.matrix(SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1,2],[3]]}}")))
        .hasMessage("data.ndarray[1]: expected 2 values like row 0, got 1");
    assertThatThrownBy(() -> Payloads.matrix(SeldonJson.parseMessage("{\"strData\":\"hi\"}")))
        .hasMessage("expected numeric data (data.tensor or data.ndarray), got strData");
  }

  @Test
  void answersKeepTheRequestsForm() {
    SeldonMessage ndarray = SeldonJson.parseMessage("{\"data\":{\"ndarray\":[[1]]}}");
    assertThat(SeldonJson.print(Payloads.respondLike(ndarray, new double[][] {{0.5}}, List.of("proba"))))
        .isEqualTo("{\"data\":{\"names\":[\"proba\"],\"ndarray\":[[0.5]]}}");
    SeldonMessage noData = SeldonJson.parseMessage("{\"strData\":\"x\"}");
    assertThat(SeldonJson.print(Payloads.route(noData, 1)))
        .isEqualTo("{\"data\":{\"names\":[\"t:0\"],\"tensor\":{\"shape\":[1,1],\"values\":[1.0]}}}");
  }
}
