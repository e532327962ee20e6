package dev.seldonj.charts.values;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart's values.schema.json and its settings table, both generated from the chart's annotated
 * values.yaml, the one place where each key's default, description and constraints are written:
 *
 * <pre>
 * # -- Description of the key (more lines of it follow as plain comments).
 * # @schema
 * #   minimum: 1          (any JSON-schema keywords, as an indented YAML block)
 * key: default
 * </pre>
 *
 * A key's type is inferred from its default unless the annotation gives {@code type}, {@code $ref}
 * or {@code allOf}. A map with keys below it is a closed object ({@code additionalProperties: false})
 * whose properties are those keys, plus any the annotation adds; a map whose annotation gives an
 * object for {@code additionalProperties} is a dictionary, and the keys below it are only its
 * default entries. A comment block {@code # @schema-root} (before the first key, separated from it
 * by a blank line) adds keywords to the root, e.g. {@code definitions} and keys without a default.
 */
public final class ValuesSchemaGenerator {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_-]+):(?: (.*))?$");

    /** One key of values.yaml as written: its description, annotation, default and keys below it. */
    public record Key(
            String name,
            String path,
            String description,
            ObjectNode annotation,
            JsonNode defaultValue,
            List<Key> children) {}

    private ValuesSchemaGenerator() {}

    /** The keys of a values.yaml text, in file order, and the root annotation (or an empty object). */
    public record Values(ObjectNode root, List<Key> keys) {}

    public static Values parse(String valuesYaml) {
        JsonNode defaults;
        try {
            defaults = YAML.readTree(valuesYaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("values.yaml is not valid YAML: " + e.getOriginalMessage(), e);
        }
        List<Key> top = new ArrayList<>();
        Deque<Object[]> open = new ArrayDeque<>(); // {indent, path, children list}
        ObjectNode root = NODES.objectNode();
        List<String> comments = new ArrayList<>();
        String[] lines = valuesYaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                comments.add(trimmed);
                continue;
            }
            if (trimmed.isEmpty()) {
                int at = comments.indexOf("# @schema-root");
                if (at >= 0) {
                    root = annotation(comments, at, "(root)");
                }
                comments.clear();
                continue;
            }
            Matcher m = KEY.matcher(line);
            if (!m.matches()) {
                comments.clear(); // a continuation of a flow value or a list item: not a key
                continue;
            }
            int indent = m.group(1).length();
            while (!open.isEmpty() && (int) open.peek()[0] >= indent) {
                open.pop();
            }
            String parent = open.isEmpty() ? "" : (String) open.peek()[1];
            @SuppressWarnings("unchecked")
            List<Key> siblings = open.isEmpty() ? top : (List<Key>) open.peek()[2];
            String path = parent.isEmpty() ? m.group(2) : parent + "." + m.group(2);
            List<Key> children = new ArrayList<>();
            siblings.add(new Key(
                    m.group(2),
                    path,
                    description(comments),
                    annotationOf(comments, path),
                    at(defaults, path),
                    children));
            comments.clear();
            open.push(new Object[] {indent, path, children});
        }
        return new Values(root, top);
    }

    /** The JSON schema of a values.yaml, ready to write as values.schema.json. */
    public static ObjectNode schema(String chartName, Values values) {
        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", "http://json-schema.org/draft-07/schema#");
        schema.put("title", chartName + " values");
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        ObjectNode root = values.root().deepCopy();
        ObjectNode extra = root.has("properties") ? (ObjectNode) root.remove("properties") : NODES.objectNode();
        schema.setAll(root);
        ObjectNode properties = schema.putObject("properties");
        values.keys().forEach(k -> properties.set(k.name(), property(k)));
        properties.setAll(extra);
        return schema;
    }

    private static ObjectNode property(Key key) {
        ObjectNode p = NODES.objectNode();
        ObjectNode annotation = key.annotation().deepCopy();
        boolean typed = annotation.has("$ref") || annotation.has("allOf");
        JsonNode type = annotation.remove("type");
        if (type != null) {
            p.set("type", type);
        } else if (!typed) {
            String inferred = inferredType(key);
            if (inferred != null) {
                p.put("type", inferred);
            }
        }
        if (key.description() != null) {
            p.put("description", key.description());
        }
        ObjectNode extra = annotation.has("properties") ? (ObjectNode) annotation.remove("properties") : null;
        p.setAll(annotation);
        // A dictionary's keys below it are default entries; a $ref'd type's are described by its definition.
        boolean dictionary = p.path("additionalProperties").isObject();
        if (!key.children().isEmpty() && !dictionary && !typed) {
            if (!p.has("additionalProperties")) {
                p.put("additionalProperties", false);
            }
            ObjectNode properties = p.putObject("properties");
            key.children().forEach(c -> properties.set(c.name(), property(c)));
            if (extra != null) {
                properties.setAll(extra);
            }
        } else if (extra != null) {
            p.set("properties", extra);
        }
        return p;
    }

    static String inferredType(Key key) {
        JsonNode v = key.defaultValue();
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isObject()) {
            return "object";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        return "string";
    }

    /**
     * The settings table (Markdown): one row per key with its type, default and description; keys of a
     * {@code $ref}'d type take what values.yaml does not say from the definition, and keys that only the
     * annotations declare (no default) are listed as unset.
     */
    public static String table(Values values) {
        StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        values.keys().forEach(k -> rows(k, NODES.objectNode(), values.root(), out));
        extraRows("", values.root().path("properties"), values.root(), out);
        return out.toString();
    }

    private static void rows(Key key, JsonNode declared, JsonNode root, StringBuilder out) {
        ObjectNode p = property(key);
        // What the definition declares of a key below a $ref'd one: its type wins over the one inferred.
        declared.fields().forEachRemaining(f -> {
            if (f.getKey().equals("type") || !p.has(f.getKey())) {
                p.set(f.getKey(), f.getValue());
            }
        });
        JsonNode type = resolve(p, root);
        boolean leaf =
                key.children().isEmpty() || p.path("additionalProperties").isObject();
        if (leaf) {
            row(key.path(), p, defaultOf(key.defaultValue()), out);
            return;
        }
        for (Key child : key.children()) {
            rows(child, type.path("properties").path(child.name()), root, out);
        }
        JsonNode extra = type.path("properties").deepCopy();
        if (extra instanceof ObjectNode extraObject) {
            key.children().forEach(c -> extraObject.remove(c.name()));
            extraRows(key.path() + ".", extraObject, root, out);
        }
    }

    private static void extraRows(String prefix, JsonNode properties, JsonNode root, StringBuilder out) {
        properties.fields().forEachRemaining(f -> row(prefix + f.getKey(), f.getValue(), "unset", out));
    }

    private static void row(String path, JsonNode p, String defaultValue, StringBuilder out) {
        String description = p.path("description").asText(null);
        out.append("| `")
                .append(path)
                .append("` | ")
                .append(typeOf(p))
                .append(" | ")
                .append(defaultValue)
                .append(" | ")
                .append(description == null ? "" : cell(description))
                .append(" |\n");
    }

    /** The definition a {@code $ref} (or {@code allOf: [$ref]}) names, else the node itself. */
    private static JsonNode resolve(JsonNode node, JsonNode root) {
        String ref = node.path("$ref").asText(node.at("/allOf/0/$ref").asText(""));
        return ref.startsWith("#/") ? root.at(ref.substring(1)) : node;
    }

    private static String typeOf(JsonNode p) {
        if (p.has("type")) {
            JsonNode t = p.get("type");
            return t.isArray() ? String.join(" or ", JSON.convertValue(t, String[].class)) : t.asText();
        }
        String ref = p.path("$ref").asText(p.at("/allOf/0/$ref").asText(""));
        return ref.isEmpty() ? "any" : ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static String defaultOf(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "unset";
        }
        String text = v.isTextual() ? "\"" + v.asText() + "\"" : v.toString();
        return text.length() > 60 ? "see values.yaml" : "`" + text.replace("|", "\\|") + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;");
    }

    /** The schema as the committed file is written: two-space indent, arrays one item a line. */
    public static String json(JsonNode schema) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        try {
            return JSON.writer(printer).writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String description(List<String> comments) {
        StringBuilder text = null;
        for (String c : comments) {
            if (c.startsWith("# --")) {
                text = new StringBuilder(c.substring(4).strip());
            } else if (c.startsWith("# @schema")) {
                break;
            } else if (text != null) {
                text.append(' ').append(c.substring(1).strip());
            }
        }
        return text == null ? null : text.toString();
    }

    private static ObjectNode annotationOf(List<String> comments, String path) {
        for (int i = 0; i < comments.size(); i++) {
            if (comments.get(i).equals("# @schema")) {
                return annotation(comments, i, path);
            }
        }
        return NODES.objectNode();
    }

    /** The indented YAML block after a {@code # @schema} line. */
    private static ObjectNode annotation(List<String> comments, int start, String path) {
        StringBuilder yaml = new StringBuilder();
        for (int i = start + 1; i < comments.size() && comments.get(i).startsWith("#  "); i++) {
            yaml.append(comments.get(i).substring(1)).append('\n');
        }
        try {
            JsonNode node = YAML.readTree(yaml.toString());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(path + ": @schema must be followed by an indented YAML map");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + ": @schema is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode at(JsonNode defaults, String path) {
        JsonNode node = defaults;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }
}
