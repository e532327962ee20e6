package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** An addressable URL. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"url"})
public class Address {

    @JsonProperty("url")
    @JsonPropertyDescription("Prediction URL of the first predictor.")
    private String url;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }
}
