package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Type of a component parameter. */
public enum ParameterType {
    INT("INT"),
    FLOAT("FLOAT"),
    DOUBLE("DOUBLE"),
    STRING("STRING"),
    BOOL("BOOL");

    private final String wireName;

    ParameterType(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
