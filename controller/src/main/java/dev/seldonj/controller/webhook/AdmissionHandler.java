package dev.seldonj.controller.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.validation.Problem;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Answers an {@code admission.k8s.io/v1} AdmissionReview for a SeldonDeployment with the api
 * module's validator: allowed, or denied with every problem and its path (HTTP 422 in the status),
 * warnings passed back as admission warnings. Anything that is not an AdmissionReview gets a
 * clear error rather than an exception.
 */
public final class AdmissionHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SeldonDeploymentValidator validator;

    public AdmissionHandler(SeldonDeploymentValidator validator) {
        this.validator = validator;
    }

    /** Thrown for a request body that is not an AdmissionReview; the server answers 400. */
    public static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    public byte[] handle(byte[] body) throws BadRequest {
        JsonNode review;
        try {
            review = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("body is not JSON: " + e.getMessage());
        }
        if (review == null || !review.path("request").isObject()) {
            throw new BadRequest("expected an AdmissionReview with a request");
        }
        JsonNode request = review.path("request");
        String uid = request.path("uid").asText("");
        ObjectNode response = JSON.createObjectNode();
        response.put("uid", uid);
        JsonNode object = request.path("object");
        if ("DELETE".equals(request.path("operation").asText()) || !object.isObject()) {
            response.put("allowed", true);
        } else {
            SeldonDeploymentValidator.Result result = validator.validate(object);
            List<Problem> errors = result.errors();
            response.put("allowed", errors.isEmpty());
            if (!errors.isEmpty()) {
                ObjectNode status = response.putObject("status");
                status.put("code", 422);
                status.put("reason", "Invalid");
                status.put(
                        "message",
                        "SeldonDeployment "
                                + object.path("metadata").path("name").asText("") + " is invalid: "
                                + errors.stream().map(Problem::toString).collect(Collectors.joining("; ")));
            }
            if (!result.warnings().isEmpty()) {
                var warnings = response.putArray("warnings");
                result.warnings().forEach(w -> warnings.add(w.toString()));
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("apiVersion", "admission.k8s.io/v1");
        answer.put("kind", "AdmissionReview");
        answer.set("response", response);
        try {
            return JSON.writeValueAsBytes(answer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
