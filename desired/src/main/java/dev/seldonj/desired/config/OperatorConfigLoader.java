package dev.seldonj.desired.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds {@link OperatorConfig} from {@code defaults.yml} (on the classpath beside this class) with
 * the user's settings merged over it key by key. Unknown keys and wrong types are rejected with the
 * full key, e.g. {@code seldon.controller.engine.http-port: expected an integer}.
 */
public final class OperatorConfigLoader {

    /** The key under which the settings live in application.yml. */
    public static final String PREFIX = "seldon.controller";

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private static final ObjectNode DEFAULTS = readDefaults();
    private static final OperatorConfig DEFAULT_CONFIG = bind(DEFAULTS.deepCopy());

    private OperatorConfigLoader() {}

    public static OperatorConfig defaults() {
        return DEFAULT_CONFIG;
    }

    /** Settings from an application.yml text: its {@code seldon.controller} key over the defaults. */
    public static OperatorConfig fromYaml(String applicationYml) {
        JsonNode root;
        try {
            root = MAPPER.readTree(applicationYml);
        } catch (IOException e) {
            throw new InvalidConfigException("not valid YAML: " + e.getMessage());
        }
        JsonNode section = root == null ? null : root.path("seldon").path("controller");
        if (section == null || section.isMissingNode() || section.isNull()) {
            return defaults();
        }
        return fromTree(section);
    }

    /** Settings given as a (nested) map of the keys below {@code seldon.controller}, over the defaults. */
    public static OperatorConfig fromMap(Map<String, ?> settings) {
        return fromTree(MAPPER.valueToTree(settings));
    }

    private static OperatorConfig fromTree(JsonNode settings) {
        if (!settings.isObject()) {
            throw new InvalidConfigException(PREFIX + ": expected a map of settings");
        }
        ObjectNode merged = DEFAULTS.deepCopy();
        merge(merged, (ObjectNode) settings);
        return bind(merged);
    }

    /** Objects merge key by key; any other value (lists included) replaces the default. */
    private static void merge(ObjectNode target, ObjectNode overrides) {
        Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject
                    && field.getValue() instanceof ObjectNode overrideObject) {
                merge(existingObject, overrideObject);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static OperatorConfig bind(ObjectNode tree) {
        try {
            return MAPPER.treeToValue(tree, OperatorConfig.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".", PREFIX + ".", ""))
                    .replace(".[", "[");
            String message = e instanceof UnrecognizedPropertyException ? "unknown key" : e.getOriginalMessage();
            throw new InvalidConfigException(path + ": " + message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = OperatorConfigLoader.class.getResourceAsStream("defaults.yml")) {
            if (in == null) {
                throw new IllegalStateException("defaults.yml is missing from the classpath");
            }
            return (ObjectNode) MAPPER.readTree(in).path("seldon").path("controller");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A setting that cannot be used, with its full key. */
    public static final class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
