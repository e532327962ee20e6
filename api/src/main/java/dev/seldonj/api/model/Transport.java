package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Transport between the engine and components. */
public enum Transport {
    REST("rest"),
    GRPC("grpc");

    private final String wireName;

    Transport(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
