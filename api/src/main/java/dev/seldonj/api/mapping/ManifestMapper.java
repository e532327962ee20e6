package dev.seldonj.api.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.seldonj.api.model.SeldonDeployment;

/**
 * The one Jackson mapper for SeldonDeployment YAML and JSON, and binding a document to the typed
 * model and back. It sits below both {@code manifest} (reading and validating files) and
 * {@code validation} (which binds what passed the schema), so neither depends on the other's inside.
 */
public final class ManifestMapper {

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .registerModule(LazyKubernetesTypes.module());

    private ManifestMapper() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Binds a document already checked against the schema. */
    public static SeldonDeployment bind(JsonNode document) {
        return MAPPER.convertValue(document, SeldonDeployment.class);
    }

    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static String toYaml(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
