package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Wire protocol of a graph. */
public enum Protocol {
    SELDON("seldon"),
    TENSORFLOW("tensorflow"),
    KFSERVING("kfserving"),
    V2("v2");

    private final String wireName;

    Protocol(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
