package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** One predictor: an inference graph, the pods that run it, and its share of traffic. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
    "name",
    "graph",
    "componentSpecs",
    "replicas",
    "annotations",
    "engineResources",
    "labels",
    "svcOrchSpec",
    "traffic",
    "explainer",
    "shadow",
    "ssl",
    "progressDeadlineSeconds"
})
public class PredictorSpec {

    @Required
    @JsonProperty("name")
    @JsonPropertyDescription("Name of the predictor, unique in the deployment.")
    private String name;

    @Required
    @JsonProperty("graph")
    @JsonPropertyDescription("Root of the inference graph.")
    private PredictiveUnit graph;

    @JsonProperty("componentSpecs")
    @JsonPropertyDescription("Pods that run the graph's containers; each becomes a Deployment.")
    private List<SeldonPodSpec> componentSpecs;

    @JsonProperty("replicas")
    @JsonPropertyDescription("Replica count for this predictor's Deployments.")
    private Integer replicas;

    @JsonProperty("annotations")
    @JsonPropertyDescription("Annotations copied onto this predictor's Deployments and Services.")
    private Map<String, String> annotations;

    @JsonProperty("engineResources")
    @JsonPropertyDescription("Deprecated: use svcOrchSpec.resources.")
    private ResourceRequirements engineResources;

    @JsonProperty("labels")
    @JsonPropertyDescription(
            "Labels copied onto this predictor's Deployments and pods; version defaults to the predictor name.")
    private Map<String, String> labels;

    @JsonProperty("svcOrchSpec")
    @JsonPropertyDescription("Settings of the engine (service orchestrator) container.")
    private SvcOrchSpec svcOrchSpec;

    @JsonProperty("traffic")
    @JsonPropertyDescription("Percentage of traffic sent to this predictor.")
    private Integer traffic;

    @JsonProperty("explainer")
    @JsonPropertyDescription("An optional explainer served beside the predictor.")
    private Explainer explainer;

    @JsonProperty("shadow")
    @JsonPropertyDescription(
            "When true the predictor receives a mirrored copy of traffic and its answers are discarded.")
    private Boolean shadow;

    @JsonProperty("ssl")
    @JsonPropertyDescription("TLS settings for the predictor.")
    private Ssl ssl;

    @JsonProperty("progressDeadlineSeconds")
    @JsonPropertyDescription("Passed through to the predictor's Deployments.")
    private Integer progressDeadlineSeconds;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public PredictiveUnit getGraph() {
        return graph;
    }

    public void setGraph(PredictiveUnit graph) {
        this.graph = graph;
    }

    public List<SeldonPodSpec> getComponentSpecs() {
        return componentSpecs;
    }

    public void setComponentSpecs(List<SeldonPodSpec> componentSpecs) {
        this.componentSpecs = componentSpecs;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public ResourceRequirements getEngineResources() {
        return engineResources;
    }

    public void setEngineResources(ResourceRequirements engineResources) {
        this.engineResources = engineResources;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public SvcOrchSpec getSvcOrchSpec() {
        return svcOrchSpec;
    }

    public void setSvcOrchSpec(SvcOrchSpec svcOrchSpec) {
        this.svcOrchSpec = svcOrchSpec;
    }

    public Integer getTraffic() {
        return traffic;
    }

    public void setTraffic(Integer traffic) {
        this.traffic = traffic;
    }

    public Explainer getExplainer() {
        return explainer;
    }

    public void setExplainer(Explainer explainer) {
        this.explainer = explainer;
    }

    public Boolean getShadow() {
        return shadow;
    }

    public void setShadow(Boolean shadow) {
        this.shadow = shadow;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public void setSsl(Ssl ssl) {
        this.ssl = ssl;
    }

    public Integer getProgressDeadlineSeconds() {
        return progressDeadlineSeconds;
    }

    public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
        this.progressDeadlineSeconds = progressDeadlineSeconds;
    }
}
