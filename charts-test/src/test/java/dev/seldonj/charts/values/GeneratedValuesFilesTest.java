package dev.seldonj.charts.values;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The operator chart's values.schema.json and the settings table in docs/charts.md are what
 * {@link ValuesSchemaGenerator} makes of the annotated values.yaml, the one place they are written.
 * {@code make charts-schema} regenerates both (this test with {@code -Dcharts.regenerate=true}).
 */
class GeneratedValuesFilesTest {

    static final Path ROOT = root();
    static final Path CHART = ROOT.resolve("charts/seldon-core-operator");
    static final Path DOCS = ROOT.resolve("docs/charts.md");
    static final String START =
            "<!-- generated from charts/seldon-core-operator/values.yaml by make charts-schema -->\n";
    static final String END = "<!-- end of generated table -->\n";
    static final boolean REGENERATE = Boolean.getBoolean("charts.regenerate");

    @Test
    void theSchemaIsGeneratedFromValuesYaml() throws IOException {
        ValuesSchemaGenerator.Values values =
                ValuesSchemaGenerator.parse(Files.readString(CHART.resolve("values.yaml")));
        String expected = ValuesSchemaGenerator.json(ValuesSchemaGenerator.schema("seldon-core-operator", values));
        Path file = CHART.resolve("values.schema.json");
        if (REGENERATE) {
            Files.writeString(file, expected);
        }
        assertThat(Files.readString(file))
                .as("%s differs from what values.yaml generates: run make charts-schema", ROOT.relativize(file))
                .isEqualTo(expected);
    }

    @Test
    void theDocsTableIsGeneratedFromValuesYaml() throws IOException {
        ValuesSchemaGenerator.Values values =
                ValuesSchemaGenerator.parse(Files.readString(CHART.resolve("values.yaml")));
        String docs = Files.readString(DOCS);
        int start = docs.indexOf(START);
        int end = docs.indexOf(END, start);
        assertThat(start).as("docs/charts.md has the marker %s", START.strip()).isNotNegative();
        assertThat(end).as("docs/charts.md has the marker %s", END.strip()).isPositive();
        String expected =
                docs.substring(0, start + START.length()) + ValuesSchemaGenerator.table(values) + docs.substring(end);
        if (REGENERATE) {
            Files.writeString(DOCS, expected);
            docs = expected;
        }
        assertThat(docs)
                .as("docs/charts.md's table differs from what values.yaml generates: run make charts-schema")
                .isEqualTo(expected);
    }

    @Test
    void aKeyOfAClosedObjectNeedsNoAnnotationAndConstraintsComeFromTheAnnotation() {
        ValuesSchemaGenerator.Values values = ValuesSchemaGenerator.parse("""
        # -- Root extras.
        # @schema-root
        #   properties:
        #     global: {type: object, description: Helm's globals.}

        # -- The web server.
        server:
          # -- Port to listen on.
          # @schema
          #   minimum: 1
          #   maximum: 65535
          port: 8080
          # -- Extra labels.
          # @schema
          #   additionalProperties: {type: string}
          labels:
            a: b
          # -- Ratio.
          ratio: 0.5
        """);
        var schema = ValuesSchemaGenerator.schema("demo", values);
        assertThat(schema.at("/properties/server/type").asText()).isEqualTo("object");
        assertThat(schema.at("/properties/server/additionalProperties").asBoolean(true))
                .isFalse();
        assertThat(schema.at("/properties/server/description").asText()).isEqualTo("The web server.");
        assertThat(schema.at("/properties/server/properties/port/type").asText())
                .isEqualTo("integer");
        assertThat(schema.at("/properties/server/properties/port/maximum").asInt())
                .isEqualTo(65535);
        assertThat(schema.at("/properties/server/properties/labels/additionalProperties/type")
                        .asText())
                .isEqualTo("string");
        assertThat(schema.at("/properties/server/properties/labels/properties").isMissingNode())
                .isTrue();
        assertThat(schema.at("/properties/server/properties/ratio/type").asText())
                .isEqualTo("number");
        assertThat(schema.at("/properties/global/type").asText()).isEqualTo("object");
        assertThat(ValuesSchemaGenerator.table(values))
                .contains("| `server.port` | integer | `8080` | Port to listen on. |");
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("charts/seldon-core-operator"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no charts/seldon-core-operator above " + Path.of("").toAbsolutePath());
    }
}
