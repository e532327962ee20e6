package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestContextTest {

    private static boolean skips(String name, String value) {
        return new RequestContext("p", List.of(Map.entry("x-other", "1"), Map.entry(name, value)), null).skipLogging();
    }

    @Test
    void skipLoggingReadsTheHeaderAsGoParsesBooleans() {
        for (String yes : List.of("true", "True", "TRUE", "t", "T", "1", " true ")) {
            assertThat(skips("Seldon-Skip-Logging", yes)).as(yes).isTrue();
        }
        assertThat(skips("seldon-skip-logging", "true"))
                .as("gRPC metadata keys are lower case")
                .isTrue();
        for (String no : List.of("false", "0", "yes", "tRUE", "")) {
            assertThat(skips("Seldon-Skip-Logging", no)).as(no).isFalse();
        }
        assertThat(new RequestContext("p", List.of(), null).skipLogging()).isFalse();
    }

    @Test
    void theWireFormIsTheClients() {
        assertThat(new RequestContext("p", List.of(), null).protoWire()).isFalse();
        assertThat(new RequestContext("p", List.of(), null, true).protoWire()).isTrue();
    }
}
