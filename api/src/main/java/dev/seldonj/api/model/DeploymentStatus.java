package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The state of one Deployment. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"name", "status", "description", "replicas", "availableReplicas", "explainerFor"})
public class DeploymentStatus {

    @JsonProperty("name")
    @JsonPropertyDescription("Deployment name.")
    private String name;

    @JsonProperty("status")
    @JsonPropertyDescription("Deployment state.")
    private String status;

    @JsonProperty("description")
    @JsonPropertyDescription("Why the Deployment is in its state.")
    private String description;

    @JsonProperty("replicas")
    @JsonPropertyDescription("Desired replicas.")
    private Integer replicas;

    @JsonProperty("availableReplicas")
    @JsonPropertyDescription("Available replicas.")
    private Integer availableReplicas;

    @JsonProperty("explainerFor")
    @JsonPropertyDescription("The predictor this Deployment explains, for explainers.")
    private String explainerFor;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getAvailableReplicas() {
        return availableReplicas;
    }

    public void setAvailableReplicas(Integer availableReplicas) {
        this.availableReplicas = availableReplicas;
    }

    public String getExplainerFor() {
        return explainerFor;
    }

    public void setExplainerFor(String explainerFor) {
        this.explainerFor = explainerFor;
    }
}
