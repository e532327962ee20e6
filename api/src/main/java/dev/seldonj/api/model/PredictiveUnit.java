package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** A node of the inference graph. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
    "name",
    "children",
    "type",
    "implementation",
    "methods",
    "endpoint",
    "parameters",
    "modelUri",
    "serviceAccountName",
    "envSecretRefName",
    "storageInitializerImage",
    "logger"
})
public class PredictiveUnit {

    @Required
    @JsonProperty("name")
    @JsonPropertyDescription("Node name; names its container unless implementation is set.")
    private String name;

    @JsonProperty("children")
    @JsonPropertyDescription("Child nodes.")
    private List<PredictiveUnit> children;

    @JsonProperty("type")
    @JsonPropertyDescription("Role of the node.")
    private PredictiveUnitType type;

    @JsonProperty("implementation")
    @JsonPropertyDescription("A built-in component or a prepackaged server.")
    private String implementation;

    @JsonProperty("methods")
    @JsonPropertyDescription("Methods of an UNKNOWN_TYPE node.")
    private List<PredictiveUnitMethod> methods;

    @JsonProperty("endpoint")
    @JsonPropertyDescription("Where the node is served.")
    private Endpoint endpoint;

    @JsonProperty("parameters")
    @JsonPropertyDescription("Component parameters.")
    private List<Parameter> parameters;

    @JsonProperty("modelUri")
    @JsonPropertyDescription("Model location: gs://, s3://, https://, pvc://.")
    private String modelUri;

    @JsonProperty("serviceAccountName")
    @JsonPropertyDescription("Service account of the node's pod.")
    private String serviceAccountName;

    @JsonProperty("envSecretRefName")
    @JsonPropertyDescription("Secret with download credentials.")
    private String envSecretRefName;

    @JsonProperty("storageInitializerImage")
    @JsonPropertyDescription("Image that downloads modelUri.")
    private String storageInitializerImage;

    @JsonProperty("logger")
    @JsonPropertyDescription("Payload logging.")
    private Logger logger;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<PredictiveUnit> getChildren() {
        return children;
    }

    public void setChildren(List<PredictiveUnit> children) {
        this.children = children;
    }

    public PredictiveUnitType getType() {
        return type;
    }

    public void setType(PredictiveUnitType type) {
        this.type = type;
    }

    public String getImplementation() {
        return implementation;
    }

    public void setImplementation(String implementation) {
        this.implementation = implementation;
    }

    public List<PredictiveUnitMethod> getMethods() {
        return methods;
    }

    public void setMethods(List<PredictiveUnitMethod> methods) {
        this.methods = methods;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    public List<Parameter> getParameters() {
        return parameters;
    }

    public void setParameters(List<Parameter> parameters) {
        this.parameters = parameters;
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

    public Logger getLogger() {
        return logger;
    }

    public void setLogger(Logger logger) {
        this.logger = logger;
    }
}
