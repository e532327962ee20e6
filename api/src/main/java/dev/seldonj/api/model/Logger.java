package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Payload logging for a node. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"url", "mode"})
public class Logger {

    @JsonProperty("url")
    @JsonPropertyDescription("Where payloads go.")
    private String url;

    @JsonProperty("mode")
    @JsonPropertyDescription("What to log.")
    private LoggerMode mode;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public LoggerMode getMode() {
        return mode;
    }

    public void setMode(LoggerMode mode) {
        this.mode = mode;
    }
}
