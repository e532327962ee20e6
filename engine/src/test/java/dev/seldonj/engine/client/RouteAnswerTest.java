package dev.seldonj.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RouteAnswerTest {

    private static int route(String json) {
        return RouteAnswer.fromJson(json.getBytes(StandardCharsets.UTF_8), "r");
    }

    @Test
    void readsEveryShapeSeldonRoutersAnswerWith() {
        assertThat(route("{\"data\":{\"ndarray\":[[1]]}}")).isEqualTo(1);
        assertThat(route("{\"data\":{\"ndarray\":[2]}}")).isEqualTo(2);
        assertThat(route("{\"data\":{\"tensor\":{\"shape\":[1,1],\"values\":[-1.0]}}}"))
                .isEqualTo(-1);
        assertThat(route("{\"data\":{\"tftensor\":{\"dtype\":\"DT_INT32\",\"intVal\":[-2]}}}"))
                .isEqualTo(-2);
        assertThat(route("[[0]]")).isZero();
        assertThat(route("{\"outputs\":[{\"name\":\"r\",\"datatype\":\"INT32\",\"shape\":[1],\"data\":[3]}]}"))
                .isEqualTo(3);
        assertThat(route("{\"predictions\":[[1]]}")).as("TF Serving row answer").isEqualTo(1);
        assertThat(route("{\"outputs\":[0]}")).as("TF Serving columnar answer").isZero();
    }

    @Test
    void rejectsWhatIsNotABranch() {
        assertThatThrownBy(() -> route("{\"data\":{\"ndarray\":[[0.5]]}}"))
                .hasMessageContaining("0.5 is not an integer");
        assertThatThrownBy(() -> route("{\"strData\":\"left\"}"))
                .hasMessageContaining("router 'r' answered an invalid route");
    }
}
