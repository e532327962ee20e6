package dev.seldonj.wrapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.model.Parameter;
import dev.seldonj.api.model.ParameterType;
import dev.seldonj.api.validation.Parameters;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A component's typed parameters, from {@code PREDICTIVE_UNIT_PARAMETERS} (the graph node's
 * {@code parameters}: a JSON list of {@code {name, value, type}} with type INT, FLOAT, DOUBLE, STRING or
 * BOOL). Parsed and type-checked once at start-up, as the Python wrapper does before it builds the model.
 */
public final class ComponentParameters {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Map<String, Parameter> byName;

    private ComponentParameters(Map<String, Parameter> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    public static ComponentParameters empty() {
        return new ComponentParameters(Map.of());
    }

    /** Parses the JSON list; a malformed list or a value that does not match its type is an error naming it. */
    public static ComponentParameters parse(String json) {
        if (json == null || json.isBlank()) {
            return empty();
        }
        JsonNode list;
        try {
            list = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("PREDICTIVE_UNIT_PARAMETERS is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("PREDICTIVE_UNIT_PARAMETERS is unreadable: " + e.getMessage());
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("PREDICTIVE_UNIT_PARAMETERS must be a JSON list of {name, value, type}");
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Parameter p = parameter(list.get(i), "PREDICTIVE_UNIT_PARAMETERS[" + i + "]");
            byName.put(p.getName(), p);
        }
        return new ComponentParameters(byName);
    }

    /** Builds parameters in code (tests, embedding): alternating name, value, type. */
    public static ComponentParameters of(String... nameValueType) {
        if (nameValueType.length % 3 != 0) {
            throw new IllegalArgumentException("expected name, value, type triples");
        }
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < nameValueType.length; i += 3) {
            json.append(i == 0 ? "" : ",")
                    .append(MAPPER.createObjectNode()
                            .put("name", nameValueType[i])
                            .put("value", nameValueType[i + 1])
                            .put("type", nameValueType[i + 2]));
        }
        return parse(json.append(']').toString());
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Map<String, Parameter> all() {
        return byName;
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(byName.get(name)).map(Parameter::getValue);
    }

    public String getString(String name, String fallback) {
        return string(name).orElse(fallback);
    }

    public int getInt(String name, int fallback) {
        return typed(name, ParameterType.INT)
                .map(v -> Integer.parseInt(v.trim()))
                .orElse(fallback);
    }

    public double getDouble(String name, double fallback) {
        Parameter p = byName.get(name);
        if (p == null) {
            return fallback;
        }
        if (p.getType() != ParameterType.FLOAT
                && p.getType() != ParameterType.DOUBLE
                && p.getType() != ParameterType.INT) {
            throw new IllegalArgumentException(
                    "parameter " + name + " is " + p.getType().wireName() + ", expected FLOAT or DOUBLE");
        }
        return Double.parseDouble(p.getValue().trim());
    }

    public boolean getBoolean(String name, boolean fallback) {
        return typed(name, ParameterType.BOOL)
                .map(v -> Boolean.parseBoolean(v.trim()))
                .orElse(fallback);
    }

    private Optional<String> typed(String name, ParameterType type) {
        Parameter p = byName.get(name);
        if (p == null) {
            return Optional.empty();
        }
        if (p.getType() != type) {
            throw new IllegalArgumentException(
                    "parameter " + name + " is " + p.getType().wireName() + ", expected " + type.wireName());
        }
        return Optional.of(p.getValue());
    }

    private static Parameter parameter(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + ": expected an object {name, value, type}");
        }
        for (String field : new String[] {"name", "value", "type"}) {
            if (!node.hasNonNull(field) || node.get(field).isContainerNode()) {
                throw new IllegalArgumentException(path + "." + field + ": missing");
            }
        }
        Parameter p = new Parameter();
        p.setName(node.get("name").asText());
        p.setValue(node.get("value").asText());
        String type = node.get("type").asText();
        try {
            p.setType(ParameterType.valueOf(type));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    path + ".type: \"" + type + "\" is not one of INT, FLOAT, DOUBLE, STRING, BOOL");
        }
        String error = Parameters.typeError(p);
        if (error != null) {
            throw new IllegalArgumentException(path + " (" + p.getName() + "): " + error);
        }
        return p;
    }
}
