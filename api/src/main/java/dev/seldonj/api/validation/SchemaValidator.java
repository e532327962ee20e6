package dev.seldonj.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import dev.seldonj.api.crd.CrdFile;
import dev.seldonj.api.schema.EmbeddedTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a SeldonDeployment document against the generated CRD's v1 schema, made stricter than an API
 * server: unknown fields are errors (a misplaced {@code graph} is caught, not pruned), graphs are
 * checked at any depth, and the embedded Kubernetes types the CRD leaves open (PodSpec, ObjectMeta,
 * Container, HPA metrics) are checked against their full generated schemas.
 */
public final class SchemaValidator {

    private static final String UNIT_DEF = "predictiveUnit";
    private static final String PREDICTORS = "spec.predictors[]";

    /** Fields the shipped CRD leaves open, and the {@link EmbeddedTypes} field whose schema fits them. */
    private static final Map<String, String> EMBEDDED = Map.of(
            PREDICTORS + ".componentSpecs[].metadata", "objectMeta",
            PREDICTORS + ".componentSpecs[].spec", "podSpec",
            PREDICTORS + ".componentSpecs[].hpaSpec.metrics[]", "metricV2beta1",
            PREDICTORS + ".componentSpecs[].hpaSpec.metricsv2[]", "metricV2",
            PREDICTORS + ".explainer.containerSpec", "container");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** JSON Schema 2020-12 plus Kubernetes' structural-schema markers, which carry no check of their own here. */
    private static final Dialect KUBERNETES_DIALECT = Dialect.builder(Dialects.getDraft202012())
            .keyword(new NonValidationKeyword("x-kubernetes-preserve-unknown-fields"))
            .keyword(new NonValidationKeyword("x-kubernetes-int-or-string"))
            .keyword(new NonValidationKeyword("x-kubernetes-embedded-resource"))
            .keyword(new NonValidationKeyword("x-kubernetes-list-type"))
            .keyword(new NonValidationKeyword("x-kubernetes-list-map-keys"))
            .keyword(new NonValidationKeyword("x-kubernetes-map-type"))
            .keyword(new NonValidationKeyword("x-kubernetes-validations"))
            .build();

    private final Schema schema;

    private SchemaValidator(JsonNode schemaNode) {
        this.schema = SchemaRegistry.withDefaultDialect(KUBERNETES_DIALECT).getSchema(schemaNode);
    }

    /** The validator for the CRD and embedded schemas generated into this module at build time. */
    public static SchemaValidator fromClasspath() {
        return new SchemaValidator(buildSchema(
                versionSchema(load(CrdFile.GENERATED_RESOURCE), "v1"),
                versionSchema(load(EmbeddedTypes.GENERATED_RESOURCE), "v1")
                        .path("properties")
                        .path("spec")
                        .path("properties")));
    }

    /** Problems found in one SeldonDeployment document, in document order. */
    public List<Problem> validate(JsonNode document) {
        Set<Problem> problems = new LinkedHashSet<>();
        for (com.networknt.schema.Error error : schema.validate(document)) {
            problems.add(toProblem(error));
        }
        return new ArrayList<>(problems);
    }

    static JsonNode buildSchema(JsonNode sdepSchema, JsonNode embeddedTypes) {
        ObjectNode root = sdepSchema.deepCopy();
        for (Map.Entry<String, String> e : EMBEDDED.entrySet()) {
            JsonNode replacement = embeddedTypes.path(e.getValue());
            if (replacement.isMissingNode()) {
                throw new IllegalStateException("no generated schema for embedded type " + e.getValue());
            }
            replace(root, e.getKey(), replacement.deepCopy());
        }
        // The CRD unrolls graph children a fixed number of levels; check any depth with one recursive definition.
        ObjectNode graph = (ObjectNode) at(root, PREDICTORS + ".graph").deepCopy();
        ((ObjectNode) graph.path("properties").path("children")).set("items", ref());
        replace(root, PREDICTORS + ".graph", ref());
        root.putObject("$defs").set(UNIT_DEF, graph);
        // The CRD leaves the envelope to the API server; a manifest file has to carry it.
        ObjectNode envelope = (ObjectNode) root.with("properties");
        envelope.putObject("apiVersion").put("type", "string");
        envelope.putObject("kind").put("type", "string");
        envelope.set("metadata", embeddedTypes.path("objectMeta").deepCopy());
        closeObjects(root);
        return root;
    }

    private static ObjectNode ref() {
        ObjectNode ref = YAML.createObjectNode();
        ref.put("$ref", "#/$defs/" + UNIT_DEF);
        return ref;
    }

    /** Adds {@code additionalProperties: false} to every object schema that lists its properties. */
    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            if (obj.has("properties")
                    && !obj.has("additionalProperties")
                    && !obj.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                obj.put("additionalProperties", false);
            }
            obj.elements().forEachRemaining(SchemaValidator::closeObjects);
        } else if (node != null && node.isArray()) {
            node.elements().forEachRemaining(SchemaValidator::closeObjects);
        }
    }

    /** The schema node at a dotted path where {@code []} steps into array items. */
    private static JsonNode at(JsonNode schema, String path) {
        JsonNode node = schema;
        for (String step : path.split("\\.")) {
            boolean items = step.endsWith("[]");
            node = node.path("properties").path(items ? step.substring(0, step.length() - 2) : step);
            if (items) {
                node = node.path("items");
            }
            if (node.isMissingNode()) {
                throw new IllegalStateException("CRD schema has no " + path);
            }
        }
        return node;
    }

    private static void replace(JsonNode schema, String path, JsonNode replacement) {
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? schema : at(schema, path.substring(0, dot));
        String last = path.substring(dot + 1);
        ObjectNode holder = (ObjectNode) parent.path("properties");
        if (last.endsWith("[]")) {
            ((ObjectNode) holder.path(last.substring(0, last.length() - 2))).set("items", replacement);
        } else {
            JsonNode old = holder.path(last);
            if (old.has("description") && replacement instanceof ObjectNode r && !r.has("description")) {
                r.set("description", old.get("description"));
            }
            holder.set(last, replacement);
        }
    }

    private static JsonNode load(String resource) {
        try (InputStream in = SchemaValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath: build the api module first");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode versionSchema(JsonNode crd, String version) {
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (version.equals(v.path("name").asText())) {
                return v.path("schema").path("openAPIV3Schema");
            }
        }
        throw new IllegalStateException(
                "CRD " + crd.path("metadata").path("name").asText() + " has no version " + version);
    }

    private static Problem toProblem(com.networknt.schema.Error error) {
        String path = format(error.getInstanceLocation());
        JsonNode instance = error.getInstanceNode();
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        switch (keyword) {
            case "additionalProperties":
                return Problem.error(child(path, error.getProperty()), "unknown field");
            case "required":
                return Problem.error(child(path, error.getProperty()), "required field is missing");
            case "type": {
                String expected = error.getSchemaNode() == null
                        ? ""
                        : error.getSchemaNode().asText();
                if ("integer".equals(expected)
                        && instance != null
                        && instance.isTextual()
                        && instance.asText().matches("-?\\d+")) {
                    // Kubernetes' API server rejects a quoted number; Seldon's docs contain some. Read it, and say so.
                    return Problem.warning(
                            path,
                            "\"" + instance.asText() + "\" is a string; Kubernetes requires an integer here (write "
                                    + instance.asText() + " without quotes)");
                }
                return Problem.error(path, "expected " + article(expected) + ", got " + describe(instance));
            }
            case "enum":
                return Problem.error(path, describe(instance) + " is not one of " + allowed(error.getSchemaNode()));
            default:
                return Problem.error(path, stripLocation(error.getMessage()));
        }
    }

    private static String allowed(JsonNode values) {
        List<String> names = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> names.add(v.asText()));
        }
        return String.join(", ", names);
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "an object";
            case "array" -> "an array";
            case "integer" -> "an integer";
            case "" -> "a value";
            default -> "a " + type;
        };
    }

    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isTextual()) {
            return "\"" + value.asText() + "\"";
        }
        return value.toString();
    }

    private static String stripLocation(String message) {
        int colon = message.indexOf(": ");
        return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
    }

    private static String child(String path, String name) {
        if (name == null) {
            return path;
        }
        return path.isEmpty() ? name : path + "." + name;
    }

    /** {@code spec.predictors[0].graph} from the validator's node path. */
    static String format(NodePath location) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(element);
            }
        }
        return sb.toString();
    }
}
