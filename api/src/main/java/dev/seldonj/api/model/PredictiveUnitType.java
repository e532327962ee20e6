package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Role of a graph node. */
public enum PredictiveUnitType {
    UNKNOWN_TYPE("UNKNOWN_TYPE"),
    ROUTER("ROUTER"),
    COMBINER("COMBINER"),
    MODEL("MODEL"),
    TRANSFORMER("TRANSFORMER"),
    OUTPUT_TRANSFORMER("OUTPUT_TRANSFORMER");

    private final String wireName;

    PredictiveUnitType(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
