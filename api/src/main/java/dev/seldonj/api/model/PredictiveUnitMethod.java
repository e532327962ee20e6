package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** A method an UNKNOWN_TYPE node serves. */
public enum PredictiveUnitMethod {
    TRANSFORM_INPUT("TRANSFORM_INPUT"),
    TRANSFORM_OUTPUT("TRANSFORM_OUTPUT"),
    ROUTE("ROUTE"),
    AGGREGATE("AGGREGATE"),
    SEND_FEEDBACK("SEND_FEEDBACK");

    private final String wireName;

    PredictiveUnitMethod(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
