package dev.seldonj.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdmissionHandlerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final AdmissionHandler handler = new AdmissionHandler(SeldonDeploymentValidator.withDefaults());

    static String review(String object) {
        return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"abc-123","operation":"CREATE",
        "object":%s}}""".formatted(object);
    }

    static final String VALID = """
      {"apiVersion":"machinelearning.seldon.io/v1alpha2","kind":"SeldonDeployment","metadata":{"name":"m"},
       "spec":{"predictors":[{"name":"p","componentSpecs":[{"spec":{"containers":[{"name":"c","image":"i"}]}}],
       "graph":{"name":"c","type":"MODEL"}}]}}""";

    JsonNode answer(String body) throws Exception {
        return JSON.readTree(handler.handle(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void allowsAValidSeldonDeployment() throws Exception {
        JsonNode answer = answer(review(VALID));
        assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.path("response").path("uid").asText()).isEqualTo("abc-123");
        assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void deniesWithEveryProblemAndItsPath() throws Exception {
        String invalid = VALID.replace("\"graph\":{\"name\":\"c\"", "\"traffic\":40,\"graph\":{\"name\":\"nope\"");
        JsonNode response = answer(review(invalid)).path("response");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(422);
        assertThat(response.path("status").path("message").asText())
                .contains("spec.predictors[0].graph")
                .contains("spec.predictors[0].traffic");
    }

    @Test
    void rejectsBodiesThatAreNotAdmissionReviews() {
        assertThatThrownBy(() -> handler.handle("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AdmissionHandler.BadRequest.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> handler.handle("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AdmissionHandler.BadRequest.class)
                .hasMessageContaining("AdmissionReview");
    }
}
