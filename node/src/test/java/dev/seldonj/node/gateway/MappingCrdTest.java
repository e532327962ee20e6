package dev.seldonj.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Mapping CRD stand-in ({@code ci/cluster/manifests/getambassador-mapping-crd.yaml}) against what
 * the controller writes: every field of every Mapping rendered for a deployment that uses every
 * option (the fixture {@code rendered-mappings.yaml}) is declared, with its type, so the real API
 * server neither rejects nor silently drops any of them; and the schema is structural, as an
 * apiextensions.k8s.io/v1 CRD must be.
 */
class MappingCrdTest {

    static final String CRD_FILE = "ci/cluster/manifests/getambassador-mapping-crd.yaml";
    private static final String FIXTURE = "rendered-mappings.yaml";
    private static final String CONTROLLER_SOURCE = "desired/src/main/java/dev/seldonj/desired/AmbassadorMappings.java";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode crd;
    private static List<JsonNode> rendered;

    @BeforeAll
    static void read() throws IOException {
        crd = YAML.readTree(Files.readString(repositoryRoot().resolve(CRD_FILE)));
        try (InputStream in = MappingCrdTest.class.getResourceAsStream(FIXTURE)) {
            rendered = YAML.readValues(YAML.getFactory().createParser(in), JsonNode.class).readAll().stream()
                    .filter(d -> d != null && !d.isMissingNode() && !d.isEmpty())
                    .toList();
        }
    }

    /** The checkout's root: the nearest directory above the working one that holds {@code ci/cluster}. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ci/cluster"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ci/cluster above " + Path.of("").toAbsolutePath());
    }

    @Test
    void isTheMappingKindOfGetambassadorIoServedAsV3alpha1AndV2() throws IOException {
        CustomResourceDefinition typed = Serialization.unmarshal(
                Files.readString(repositoryRoot().resolve(CRD_FILE)), CustomResourceDefinition.class);
        assertThat(typed.getMetadata().getName()).isEqualTo("mappings.getambassador.io");
        assertThat(typed.getSpec().getGroup()).isEqualTo("getambassador.io");
        assertThat(typed.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(typed.getSpec().getNames().getKind()).isEqualTo("Mapping");
        assertThat(typed.getSpec().getNames().getPlural()).isEqualTo("mappings");
        assertThat(typed.getSpec().getVersions())
                .extracting(v -> v.getName() + " served=" + v.getServed() + " storage=" + v.getStorage())
                .containsExactly("v3alpha1 served=true storage=true", "v2 served=true storage=false");
        assertThat(typed.getSpec().getConversion().getStrategy()).isEqualTo("None");
        assertThat(version("v3alpha1")
                        .path("schema")
                        .path("openAPIV3Schema")
                        .path("properties")
                        .path("spec")
                        .path("x-kubernetes-preserve-unknown-fields")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void everySchemaIsStructural() {
        for (String name : List.of("v3alpha1", "v2")) {
            List<String> problems = new ArrayList<>();
            structural("", version(name).path("schema").path("openAPIV3Schema"), problems);
            assertThat(problems).as("version " + name).isEmpty();
        }
    }

    @Test
    void everyFieldTheControllerWritesIsDeclaredWithItsType() {
        assertThat(rendered)
                .hasSizeGreaterThan(10)
                .allMatch(m -> m.path("kind").asText().equals("Mapping"));
        JsonNode schema = version("v3alpha1").path("schema").path("openAPIV3Schema");
        List<String> problems = new ArrayList<>();
        for (JsonNode mapping : rendered) {
            assertThat(mapping.path("apiVersion").asText()).isEqualTo("getambassador.io/v3alpha1");
            conforms(
                    mapping.path("metadata").path("name").asText() + ": spec",
                    mapping.path("spec"),
                    schema.path("properties").path("spec"),
                    problems);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theFixtureHasEveryFieldAmbassadorMappingsPutsInASpec() throws IOException {
        // A drift alarm without building the controller here: the keys its source puts into a spec must
        // all appear in the rendered fixture, or the fixture needs regenerating (see its header).
        String source = Files.readString(repositoryRoot().resolve(CONTROLLER_SOURCE));
        Matcher keys = Pattern.compile("spec\\.(?:put|computeIfAbsent)\\(\\s*\"([a-z_]+)\"")
                .matcher(source);
        Set<String> written = new TreeSet<>();
        while (keys.find()) {
            written.add(keys.group(1));
        }
        assertThat(written)
                .as("keys found in " + CONTROLLER_SOURCE + " (update this scan if it stopped finding them)")
                .contains("prefix", "service", "weight", "shadow", "grpc");
        Set<String> inFixture = new TreeSet<>();
        rendered.forEach(m -> m.path("spec").fieldNames().forEachRemaining(inFixture::add));
        assertThat(inFixture).as("spec fields of " + FIXTURE).containsAll(written);
    }

    private static JsonNode version(String name) {
        return StreamSupport.stream(crd.path("spec").path("versions").spliterator(), false)
                .filter(v -> v.path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no version " + name + " in " + CRD_FILE));
    }

    /**
     * Kubernetes' structural-schema rule: every node states a type, unless it keeps unknown fields or
     * is an int-or-string; and a node lists properties or additionalProperties, never both.
     */
    private static void structural(String path, JsonNode node, List<String> problems) {
        boolean open = node.path("x-kubernetes-preserve-unknown-fields").asBoolean()
                || node.path("x-kubernetes-int-or-string").asBoolean();
        if (!node.hasNonNull("type") && !open) {
            problems.add((path.isEmpty() ? "<root>" : path) + ": no type");
        }
        if (node.has("properties") && node.has("additionalProperties")) {
            problems.add(path + ": both properties and additionalProperties");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            structural(path + "." + field.getKey(), field.getValue(), problems);
        }
        if (node.path("items").isObject()) {
            structural(path + "[]", node.path("items"), problems);
        }
        if (node.path("additionalProperties").isObject()) {
            structural(path + ".*", node.path("additionalProperties"), problems);
        }
    }

    /** Whether {@code value} is declared by {@code schema}, type and enum included; problems name the path. */
    private static void conforms(String path, JsonNode value, JsonNode schema, List<String> problems) {
        if (schema.isMissingNode()) {
            problems.add(path + ": not declared");
            return;
        }
        String type = schema.path("type").asText("");
        if (type.isEmpty()) {
            return; // an open node (preserve-unknown-fields) accepts anything
        }
        if (!hasType(value, type)) {
            problems.add(path + ": " + value + " is not of type " + type);
            return;
        }
        if (schema.has("enum")
                && StreamSupport.stream(schema.path("enum").spliterator(), false)
                        .noneMatch(value::equals)) {
            problems.add(path + ": " + value + " is not one of " + schema.path("enum"));
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode declared = schema.path("properties").has(field.getKey())
                        ? schema.path("properties").path(field.getKey())
                        : schema.path("additionalProperties");
                conforms(path + "." + field.getKey(), field.getValue(), declared, problems);
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                conforms(path + "[" + i + "]", value.get(i), schema.path("items"), problems);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> fail("unknown schema type " + type);
        };
    }
}
