package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;

/** A typed parameter passed to a component. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"name", "value", "type"})
public class Parameter {

    @Required
    @JsonProperty("name")
    @JsonPropertyDescription("Parameter name.")
    private String name;

    @Required
    @JsonProperty("value")
    @JsonPropertyDescription("Value as a string.")
    private String value;

    @Required
    @JsonProperty("type")
    @JsonPropertyDescription("Parameter type.")
    private ParameterType type;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public ParameterType getType() {
        return type;
    }

    public void setType(ParameterType type) {
        this.type = type;
    }
}
