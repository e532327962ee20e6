package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a node's payload logger records. */
public enum LoggerMode {
    ALL("all"),
    REQUEST("request"),
    RESPONSE("response");

    private final String wireName;

    LoggerMode(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
