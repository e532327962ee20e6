package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the engine receives requests. */
public enum ServerType {
    RPC("rpc"),
    KAFKA("kafka");

    private final String wireName;

    ServerType(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
