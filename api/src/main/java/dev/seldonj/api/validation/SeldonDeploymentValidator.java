package dev.seldonj.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.mapping.ManifestMapper;
import dev.seldonj.api.model.SeldonDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one validator of SeldonDeployments, used by {@code render}, the admission webhook, the reconcile
 * loop and the engine alike: apiVersion and kind, the CRD schema (strict), then Seldon's rules.
 */
public final class SeldonDeploymentValidator {

    public static final Set<String> API_VERSIONS = Set.of(
            SeldonDeployment.GROUP + "/v1", SeldonDeployment.GROUP + "/v1alpha2", SeldonDeployment.GROUP + "/v1alpha3");

    private static volatile SchemaValidator sharedSchema;

    private final SchemaValidator schema;
    private final SemanticValidator semantics;

    public SeldonDeploymentValidator(ValidationContext context) {
        this(new SemanticValidator(context));
    }

    /** The CRD's schema, then {@code semantics} (e.g. {@link SemanticValidator#forGraphs} for an engine's file). */
    public SeldonDeploymentValidator(SemanticValidator semantics) {
        this.schema = schema();
        this.semantics = semantics;
    }

    public static SeldonDeploymentValidator withDefaults() {
        return new SeldonDeploymentValidator(ValidationContext.defaults());
    }

    /** A document's problems and, when its shape allowed reading it, the typed SeldonDeployment. */
    public record Result(SeldonDeployment deployment, List<Problem> problems) {

        public boolean valid() {
            return deployment != null && problems.stream().noneMatch(Problem::isError);
        }

        public List<Problem> errors() {
            return problems.stream().filter(Problem::isError).toList();
        }

        public List<Problem> warnings() {
            return problems.stream().filter(p -> !p.isError()).toList();
        }

        /** The deployment, or an exception listing every error. */
        public SeldonDeployment orThrow(String source) {
            if (!valid()) {
                throw new InvalidManifestException(source, errors());
            }
            return deployment;
        }
    }

    public Result validate(JsonNode document) {
        List<Problem> problems = new ArrayList<>();
        String apiVersion = document.path("apiVersion").asText("");
        if (!API_VERSIONS.contains(apiVersion)) {
            problems.add(Problem.error(
                    "apiVersion",
                    (apiVersion.isEmpty() ? "missing" : "\"" + apiVersion + "\"") + ": expected one of "
                            + String.join(", ", API_VERSIONS.stream().sorted().toList())));
        }
        String kind = document.path("kind").asText("");
        if (!SeldonDeployment.KIND.equals(kind)) {
            problems.add(Problem.error(
                    "kind", (kind.isEmpty() ? "missing" : "\"" + kind + "\"") + ": expected SeldonDeployment"));
        }
        problems.addAll(schema.validate(document));
        if (problems.stream().anyMatch(Problem::isError)) {
            return new Result(null, problems);
        }
        SeldonDeployment sdep;
        try {
            sdep = ManifestMapper.bind(document);
        } catch (IllegalArgumentException e) {
            problems.add(Problem.error("", "cannot be read: " + e.getMessage()));
            return new Result(null, problems);
        }
        problems.addAll(semantics.validate(sdep));
        return new Result(sdep, problems);
    }

    /** Validates a typed SeldonDeployment, e.g. one an informer delivered. */
    public Result validate(SeldonDeployment sdep) {
        Result result = validate(ManifestMapper.toTree(sdep));
        return new Result(result.deployment() == null ? null : sdep, result.problems());
    }

    private static SchemaValidator schema() {
        SchemaValidator s = sharedSchema;
        if (s == null) {
            synchronized (SeldonDeploymentValidator.class) {
                s = sharedSchema;
                if (s == null) {
                    s = SchemaValidator.fromClasspath();
                    sharedSchema = s;
                }
            }
        }
        return s;
    }
}
