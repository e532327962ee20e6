package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Transport of one node. */
public enum EndpointType {
    REST("REST"),
    GRPC("GRPC");

    private final String wireName;

    EndpointType(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
