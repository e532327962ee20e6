package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Container;
import java.util.Map;

/** An explainer served beside the predictor. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
    "type",
    "modelUri",
    "serviceAccountName",
    "containerSpec",
    "config",
    "endpoint",
    "envSecretRefName",
    "storageInitializerImage",
    "replicas",
    "initParameters"
})
public class Explainer {

    @JsonProperty("type")
    @JsonPropertyDescription("Explainer algorithm, e.g. AnchorTabular, AnchorImages, AnchorText, KernelShap, TreeShap.")
    private String type;

    @JsonProperty("modelUri")
    @JsonPropertyDescription("Where to download the explainer from.")
    private String modelUri;

    @JsonProperty("serviceAccountName")
    @JsonPropertyDescription("Service account of the explainer pod.")
    private String serviceAccountName;

    @SchemaFrom(type = EmbeddedObject.class)
    @JsonProperty("containerSpec")
    @JsonPropertyDescription("Overrides for the explainer container.")
    private Container containerSpec;

    @JsonProperty("config")
    @JsonPropertyDescription("Explainer configuration passed as --key=value arguments.")
    private Map<String, String> config;

    @JsonProperty("endpoint")
    @JsonPropertyDescription("Endpoint of the explainer.")
    private Endpoint endpoint;

    @JsonProperty("envSecretRefName")
    @JsonPropertyDescription("Secret with download credentials.")
    private String envSecretRefName;

    @JsonProperty("storageInitializerImage")
    @JsonPropertyDescription("Image that downloads modelUri.")
    private String storageInitializerImage;

    @JsonProperty("replicas")
    @JsonPropertyDescription("Replicas of the explainer Deployment.")
    private Integer replicas;

    @JsonProperty("initParameters")
    @JsonPropertyDescription("JSON initialisation parameters of the explainer.")
    private String initParameters;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getModelUri() {
        return modelUri;
    }

    public void setModelUri(String modelUri) {
        this.modelUri = modelUri;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public Container getContainerSpec() {
        return containerSpec;
    }

    public void setContainerSpec(Container containerSpec) {
        this.containerSpec = containerSpec;
    }

    public Map<String, String> getConfig() {
        return config;
    }

    public void setConfig(Map<String, String> config) {
        this.config = config;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    public String getEnvSecretRefName() {
        return envSecretRefName;
    }

    public void setEnvSecretRefName(String envSecretRefName) {
        this.envSecretRefName = envSecretRefName;
    }

    public String getStorageInitializerImage() {
        return storageInitializerImage;
    }

    public void setStorageInitializerImage(String storageInitializerImage) {
        this.storageInitializerImage = storageInitializerImage;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getInitParameters() {
        return initParameters;
    }

    public void setInitParameters(String initParameters) {
        this.initParameters = initParameters;
    }
}
