package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ComponentParametersTest {

    @Test
    void typedValues() {
        ComponentParameters p = ComponentParameters.parse("""
        [{"name":"intValue","value":"2","type":"INT"},
         {"name":"ratio","value":"0.25","type":"FLOAT"},
         {"name":"label","value":"x","type":"STRING"},
         {"name":"on","value":"true","type":"BOOL"}]""");
        assertThat(p.getInt("intValue", 0)).isEqualTo(2);
        assertThat(p.getDouble("ratio", 0)).isEqualTo(0.25);
        assertThat(p.getString("label", "")).isEqualTo("x");
        assertThat(p.getBoolean("on", false)).isTrue();
        assertThat(p.getInt("missing", 7)).isEqualTo(7);
    }

    @Test
    void valuesThatDoNotMatchTheirTypeAreRejectedAtStartUp() {
        assertThatThrownBy(() -> ComponentParameters.parse("[{\"name\":\"n\",\"value\":\"two\",\"type\":\"INT\"}]"))
                .hasMessage("PREDICTIVE_UNIT_PARAMETERS[0] (n): \"two\" is not an INT");
        assertThatThrownBy(() -> ComponentParameters.parse("[{\"name\":\"n\",\"value\":\"1\",\"type\":\"LONG\"}]"))
                .hasMessage(
                        "PREDICTIVE_UNIT_PARAMETERS[0].type: \"LONG\" is not one of INT, FLOAT, DOUBLE, STRING, BOOL");
        assertThatThrownBy(() -> ComponentParameters.parse("[{\"name\":\"n\",\"type\":\"INT\"}]"))
                .hasMessage("PREDICTIVE_UNIT_PARAMETERS[0].value: missing");
        assertThatThrownBy(() -> ComponentParameters.parse("{\"name\":\"n\"}"))
                .hasMessageContaining("must be a JSON list");
        assertThatThrownBy(() -> ComponentParameters.parse("[oops"))
                .hasMessageStartingWith("PREDICTIVE_UNIT_PARAMETERS is not JSON");
    }

    @Test
    void readingAParameterAsAnotherTypeIsAnError() {
        ComponentParameters p = ComponentParameters.of("label", "x", "STRING");
        assertThatThrownBy(() -> p.getInt("label", 0)).hasMessage("parameter label is STRING, expected INT");
    }
}
