package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/** KEDA ScaledObject settings. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
    "pollingInterval",
    "cooldownPeriod",
    "idleReplicaCount",
    "minReplicaCount",
    "maxReplicaCount",
    "advanced",
    "fallback",
    "triggers"
})
public class SeldonScaledObjectSpec {

    @JsonProperty("pollingInterval")
    @JsonPropertyDescription("Seconds between trigger checks.")
    private Integer pollingInterval;

    @JsonProperty("cooldownPeriod")
    @JsonPropertyDescription("Seconds to wait after the last active trigger before scaling to zero.")
    private Integer cooldownPeriod;

    @JsonProperty("idleReplicaCount")
    @JsonPropertyDescription("Replicas when no trigger is active.")
    private Integer idleReplicaCount;

    @JsonProperty("minReplicaCount")
    @JsonPropertyDescription("Lower limit of replicas.")
    private Integer minReplicaCount;

    @JsonProperty("maxReplicaCount")
    @JsonPropertyDescription("Upper limit of replicas.")
    private Integer maxReplicaCount;

    @SchemaFrom(type = EmbeddedObject.class)
    @JsonProperty("advanced")
    @JsonPropertyDescription("KEDA advanced settings, passed through.")
    private Map<String, Object> advanced;

    @SchemaFrom(type = EmbeddedObject.class)
    @JsonProperty("fallback")
    @JsonPropertyDescription("KEDA fallback settings, passed through.")
    private Map<String, Object> fallback;

    @Required
    @SchemaFrom(type = EmbeddedObject[].class)
    @JsonProperty("triggers")
    @JsonPropertyDescription("KEDA triggers, passed through.")
    private List<Map<String, Object>> triggers;

    public Integer getPollingInterval() {
        return pollingInterval;
    }

    public void setPollingInterval(Integer pollingInterval) {
        this.pollingInterval = pollingInterval;
    }

    public Integer getCooldownPeriod() {
        return cooldownPeriod;
    }

    public void setCooldownPeriod(Integer cooldownPeriod) {
        this.cooldownPeriod = cooldownPeriod;
    }

    public Integer getIdleReplicaCount() {
        return idleReplicaCount;
    }

    public void setIdleReplicaCount(Integer idleReplicaCount) {
        this.idleReplicaCount = idleReplicaCount;
    }

    public Integer getMinReplicaCount() {
        return minReplicaCount;
    }

    public void setMinReplicaCount(Integer minReplicaCount) {
        this.minReplicaCount = minReplicaCount;
    }

    public Integer getMaxReplicaCount() {
        return maxReplicaCount;
    }

    public void setMaxReplicaCount(Integer maxReplicaCount) {
        this.maxReplicaCount = maxReplicaCount;
    }

    public Map<String, Object> getAdvanced() {
        return advanced;
    }

    public void setAdvanced(Map<String, Object> advanced) {
        this.advanced = advanced;
    }

    public Map<String, Object> getFallback() {
        return fallback;
    }

    public void setFallback(Map<String, Object> fallback) {
        this.fallback = fallback;
    }

    public List<Map<String, Object>> getTriggers() {
        return triggers;
    }

    public void setTriggers(List<Map<String, Object>> triggers) {
        this.triggers = triggers;
    }
}
