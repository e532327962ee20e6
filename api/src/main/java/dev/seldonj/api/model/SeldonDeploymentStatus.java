package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;
import java.util.Map;

/** The observed state of a SeldonDeployment, rebuilt by the controller on every pass. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
    "state",
    "description",
    "deploymentStatus",
    "serviceStatus",
    "replicas",
    "address",
    "observedGeneration",
    "conditions",
    "annotations"
})
public class SeldonDeploymentStatus {

    @PrinterColumn(name = "State")
    @JsonProperty("state")
    @JsonPropertyDescription("Available, Creating or Failed.")
    private String state;

    @JsonProperty("description")
    @JsonPropertyDescription("Why the deployment is in its state.")
    private String description;

    @JsonProperty("deploymentStatus")
    @JsonPropertyDescription("Deployments by name.")
    private Map<String, DeploymentStatus> deploymentStatus;

    @JsonProperty("serviceStatus")
    @JsonPropertyDescription("Services by name.")
    private Map<String, ServiceStatus> serviceStatus;

    @StatusReplicas
    @JsonProperty("replicas")
    @JsonPropertyDescription("Replicas of the first predictor's first Deployment.")
    private Integer replicas;

    @JsonProperty("address")
    @JsonPropertyDescription("Where the first predictor is reached inside the cluster.")
    private Address address;

    @JsonProperty("observedGeneration")
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonProperty("conditions")
    @JsonPropertyDescription("Conditions, with Ready summarising the others.")
    private List<Condition> conditions;

    @JsonProperty("annotations")
    @JsonPropertyDescription("Annotations of the status.")
    private Map<String, String> annotations;

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public Map<String, DeploymentStatus> getDeploymentStatus() {
        return deploymentStatus;
    }

    public void setDeploymentStatus(Map<String, DeploymentStatus> deploymentStatus) {
        this.deploymentStatus = deploymentStatus;
    }

    public Map<String, ServiceStatus> getServiceStatus() {
        return serviceStatus;
    }

    public void setServiceStatus(Map<String, ServiceStatus> serviceStatus) {
        this.serviceStatus = serviceStatus;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Address getAddress() {
        return address;
    }

    public void setAddress(Address address) {
        this.address = address;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }
}
