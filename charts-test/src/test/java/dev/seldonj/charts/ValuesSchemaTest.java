package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every chart's values schema is strict and documented: closed objects, a description on every key. */
class ValuesSchemaTest {

    static List<Path> charts() throws IOException {
        List<Path> charts = new ArrayList<>(ChartLintTest.charts().toList());
        charts.add(Repository.VALUES.resolve("umbrella"));
        return charts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void everyObjectIsClosedAndEveryKeyDescribed(Path chart) throws IOException {
        JsonNode schema =
                new ObjectMapper().readTree(chart.resolve("values.schema.json").toFile());
        List<String> problems = new ArrayList<>();
        check(schema, "", schema, problems);
        assertThat(problems).as("schema of %s", chart.getFileName()).isEmpty();
    }

    private static void check(JsonNode node, String path, JsonNode root, List<String> problems) {
        JsonNode properties = node.path("properties");
        if (properties.isObject()) {
            if (!node.has("additionalProperties")) {
                problems.add(path + ": an object with properties must say whether others are allowed");
            }
            for (Map.Entry<String, JsonNode> property : (Iterable<Map.Entry<String, JsonNode>>) properties::fields) {
                String at = path + "." + property.getKey();
                if (!described(property.getValue(), root)) {
                    problems.add(at + ": no description");
                }
                check(resolve(property.getValue(), root), at, root, problems);
            }
        }
        JsonNode additional = node.path("additionalProperties");
        if (additional.isObject()) {
            check(resolve(additional, root), path + ".*", root, problems);
        }
    }

    private static boolean described(JsonNode property, JsonNode root) {
        return property.hasNonNull("description") || resolve(property, root).hasNonNull("description");
    }

    private static JsonNode resolve(JsonNode node, JsonNode root) {
        String ref = node.path("$ref").asText(node.at("/allOf/0/$ref").asText(""));
        return ref.startsWith("#/") ? root.at(ref.substring(1)) : node;
    }
}
