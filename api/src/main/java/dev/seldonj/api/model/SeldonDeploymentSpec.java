package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/** The desired state of a SeldonDeployment: one or more predictors, each an inference graph. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
    "name",
    "predictors",
    "oauth_key",
    "oauth_secret",
    "annotations",
    "protocol",
    "transport",
    "replicas",
    "serverType"
})
public class SeldonDeploymentSpec {

    @JsonProperty("name")
    @JsonPropertyDescription("Deprecated: the deployment's name is metadata.name.")
    private String name;

    @Required
    @JsonProperty("predictors")
    @JsonPropertyDescription("The predictors: each serves one inference graph; traffic is split between them.")
    private List<PredictorSpec> predictors;

    @JsonProperty("oauth_key")
    @JsonPropertyDescription("Legacy OAuth key (unused).")
    private String oauthKey;

    @JsonProperty("oauth_secret")
    @JsonPropertyDescription("Legacy OAuth secret (unused).")
    private String oauthSecret;

    @JsonProperty("annotations")
    @JsonPropertyDescription("Annotations copied onto every Deployment and pod template; holds seldon.io/* settings.")
    private Map<String, String> annotations;

    @JsonProperty("protocol")
    @JsonPropertyDescription("Wire protocol of the graph: seldon (default), tensorflow, kfserving or v2.")
    private Protocol protocol;

    @JsonProperty("transport")
    @JsonPropertyDescription("Transport between the engine and the components: rest (default) or grpc.")
    private Transport transport;

    @SpecReplicas
    @JsonProperty("replicas")
    @JsonPropertyDescription("Default replica count; the target of the scale subresource.")
    private Integer replicas;

    @JsonProperty("serverType")
    @JsonPropertyDescription("How the engine receives requests: rpc (default) or kafka.")
    private ServerType serverType;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<PredictorSpec> getPredictors() {
        return predictors;
    }

    public void setPredictors(List<PredictorSpec> predictors) {
        this.predictors = predictors;
    }

    public String getOauthKey() {
        return oauthKey;
    }

    public void setOauthKey(String oauthKey) {
        this.oauthKey = oauthKey;
    }

    public String getOauthSecret() {
        return oauthSecret;
    }

    public void setOauthSecret(String oauthSecret) {
        this.oauthSecret = oauthSecret;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    public Transport getTransport() {
        return transport;
    }

    public void setTransport(Transport transport) {
        this.transport = transport;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public ServerType getServerType() {
        return serverType;
    }

    public void setServerType(ServerType serverType) {
        this.serverType = serverType;
    }
}
