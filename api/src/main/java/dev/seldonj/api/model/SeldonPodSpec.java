package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;

/** A pod of the predictor: metadata, a full PodSpec, and its scaling settings. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"metadata", "spec", "hpaSpec", "kedaSpec", "pdbSpec", "replicas"})
public class SeldonPodSpec {

    @SchemaFrom(type = EmbeddedObject.class)
    @JsonProperty("metadata")
    @JsonPropertyDescription("Name, labels and annotations for the pod and its Deployment.")
    private ObjectMeta metadata;

    @SchemaFrom(type = EmbeddedObject.class)
    @JsonProperty("spec")
    @JsonPropertyDescription("A Kubernetes PodSpec; containers named after graph nodes serve those nodes.")
    private PodSpec spec;

    @JsonProperty("hpaSpec")
    @JsonPropertyDescription("Horizontal pod autoscaling for this pod's Deployment.")
    private SeldonHpaSpec hpaSpec;

    @JsonProperty("kedaSpec")
    @JsonPropertyDescription("KEDA autoscaling for this pod's Deployment (takes precedence over hpaSpec).")
    private SeldonScaledObjectSpec kedaSpec;

    @JsonProperty("pdbSpec")
    @JsonPropertyDescription("A PodDisruptionBudget for this pod's Deployment.")
    private SeldonPdbSpec pdbSpec;

    @JsonProperty("replicas")
    @JsonPropertyDescription("Replica count of this pod's Deployment.")
    private Integer replicas;

    public ObjectMeta getMetadata() {
        return metadata;
    }

    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    public PodSpec getSpec() {
        return spec;
    }

    public void setSpec(PodSpec spec) {
        this.spec = spec;
    }

    public SeldonHpaSpec getHpaSpec() {
        return hpaSpec;
    }

    public void setHpaSpec(SeldonHpaSpec hpaSpec) {
        this.hpaSpec = hpaSpec;
    }

    public SeldonScaledObjectSpec getKedaSpec() {
        return kedaSpec;
    }

    public void setKedaSpec(SeldonScaledObjectSpec kedaSpec) {
        this.kedaSpec = kedaSpec;
    }

    public SeldonPdbSpec getPdbSpec() {
        return pdbSpec;
    }

    public void setPdbSpec(SeldonPdbSpec pdbSpec) {
        this.pdbSpec = pdbSpec;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }
}
