package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.IntOrString;

/** PodDisruptionBudget settings; set one of minAvailable and maxUnavailable. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"minAvailable", "maxUnavailable"})
public class SeldonPdbSpec {

    @JsonProperty("minAvailable")
    @JsonPropertyDescription("Pods that must stay available (number or percentage).")
    private IntOrString minAvailable;

    @JsonProperty("maxUnavailable")
    @JsonPropertyDescription("Pods that may be unavailable (number or percentage).")
    private IntOrString maxUnavailable;

    public IntOrString getMinAvailable() {
        return minAvailable;
    }

    public void setMinAvailable(IntOrString minAvailable) {
        this.minAvailable = minAvailable;
    }

    public IntOrString getMaxUnavailable() {
        return maxUnavailable;
    }

    public void setMaxUnavailable(IntOrString maxUnavailable) {
        this.maxUnavailable = maxUnavailable;
    }
}
