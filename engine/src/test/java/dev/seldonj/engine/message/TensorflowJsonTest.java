package dev.seldonj.engine.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.engine.core.EngineException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorflowJsonTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String chained(String json) {
        return new String(TensorflowJson.asRequest(utf8(json), "next"), StandardCharsets.UTF_8);
    }

    @Test
    void requestsPassAsTheyAreAndAnswersAreRenamedKeepingEveryOtherByte() {
        String request = "{\"instances\": [[1, 2.50]], \"signature_name\":\"s\"}";
        byte[] bytes = utf8(request);
        assertThat(TensorflowJson.asRequest(bytes, "next"))
                .as("a request is not copied")
                .isSameAs(bytes);
        assertThat(chained(request)).isEqualTo(request);
        assertThat(chained("{\"inputs\":{\"x\":[1]}}")).isEqualTo("{\"inputs\":{\"x\":[1]}}");

        assertThat(chained("{ \"model_version\": \"3\", \"predictions\" :[[0.1, 1e-3]] }"))
                .isEqualTo("{ \"model_version\": \"3\", \"instances\" :[[0.1, 1e-3]] }");
        assertThat(chained("{\"outputs\":{\"y\":[[1,2]]}}")).isEqualTo("{\"inputs\":{\"y\":[[1,2]]}}");
    }

    @Test
    void anAnswerWithNothingToChainNamesItsFields() {
        assertThatThrownBy(() -> chained("{\"error\":\"boom\"}")).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_RESPONSE);
            assertThat(e.getMessage())
                    .contains("node 'next'")
                    .contains("predictions")
                    .contains("[error]");
        });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"instances\":[[1]]}|",
                "{\"inputs\":{\"a\":[1],\"b\":\"x\"},\"signature_name\":\"serving_default\"}|",
                "{\"inputs\":[[1,2]]}|",
                "''|empty request body",
                "[1,2]|expected a JSON object, got an array",
                "{\"instances\":[1],|invalid JSON at byte 17",
                "{\"data\":{\"ndarray\":[1]}}|instances: missing",
                "{\"instances\":[1],\"inputs\":[1]}|instances, inputs: set one of them, not both",
                "{\"instances\":{\"a\":1}}|instances: expected an array, got an object",
                "{\"inputs\":null}|inputs: expected a value or an object of named values, got null",
                "{\"instances\":[1],\"signature_name\":3}|signature_name: expected a string, got a number",
            })
    void clientRequestsAreCheckedWithTheFieldNamed(String json, String error) {
        if (error == null) {
            TensorflowJson.checkRequest(utf8(json));
            return;
        }
        assertThatThrownBy(() -> TensorflowJson.checkRequest(utf8(json)))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.kind()).isEqualTo(EngineException.Kind.BAD_REQUEST);
                    assertThat(e.getMessage()).contains(error);
                });
    }
}
