package dev.seldonj.desired.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds {@link OperatorConfig} from the controller's settings file ({@code controller.yaml}: the
 * chart's ConfigMap carries it, {@code operator --config FILE} and {@code render --config FILE} read
 * it) merged key by key over {@code defaults.yml} (on the classpath beside this class, same shape).
 * Unknown keys and wrong types are rejected with the full key, e.g.
 * {@code engine.http-port: expected an integer}; {@link #fromFile} adds the file's name.
 */
public final class OperatorConfigLoader {

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

    /**
     * The settings file over the defaults. A file that is missing, unreadable or invalid is an
     * {@link InvalidConfigException} whose message starts with the file's name.
     */
    public static OperatorConfig fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InvalidConfigException(file + ": cannot read: permission denied");
        } catch (IOException e) {
            throw new InvalidConfigException(file + ": cannot read: " + firstLine(String.valueOf(e.getMessage())));
        }
        try {
            return fromYaml(text);
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(file + ": " + e.getMessage());
        }
    }

    /** Settings as the text of a settings file (an empty text keeps every default). */
    public static OperatorConfig fromYaml(String settingsYaml) {
        JsonNode root;
        try {
            root = MAPPER.readTree(settingsYaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidConfigException("not valid YAML" + where + ": " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaults();
        }
        return fromTree(root);
    }

    private static OperatorConfig fromTree(JsonNode settings) {
        if (!settings.isObject()) {
            throw new InvalidConfigException("expected a map of settings, found "
                    + settings.getNodeType().name().toLowerCase(Locale.ROOT));
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
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            String message = e instanceof UnrecognizedPropertyException ? "unknown key" : e.getOriginalMessage();
            throw new InvalidConfigException(path.isEmpty() ? message : path + ": " + message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = OperatorConfigLoader.class.getResourceAsStream("defaults.yml")) {
            if (in == null) {
                throw new IllegalStateException("defaults.yml is missing from the classpath");
            }
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A setting that cannot be used, with its full key. */
    public static final class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
