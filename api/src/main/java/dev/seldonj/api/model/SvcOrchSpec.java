package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** Settings of the engine container. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"resources", "env", "replicas"})
public class SvcOrchSpec {

    @JsonProperty("resources")
    @JsonPropertyDescription("Resources of the engine container.")
    private ResourceRequirements resources;

    @JsonProperty("env")
    @JsonPropertyDescription("Extra environment of the engine container.")
    private List<EnvVar> env;

    @JsonProperty("replicas")
    @JsonPropertyDescription("Replicas of a separate engine Deployment.")
    private Integer replicas;

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }
}
