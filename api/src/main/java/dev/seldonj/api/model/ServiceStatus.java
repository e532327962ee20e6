package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One Service and its endpoints. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"svcName", "httpEndpoint", "grpcEndpoint", "explainerFor"})
public class ServiceStatus {

    @JsonProperty("svcName")
    @JsonPropertyDescription("Service name.")
    private String svcName;

    @JsonProperty("httpEndpoint")
    @JsonPropertyDescription("host:port of the HTTP endpoint.")
    private String httpEndpoint;

    @JsonProperty("grpcEndpoint")
    @JsonPropertyDescription("host:port of the gRPC endpoint.")
    private String grpcEndpoint;

    @JsonProperty("explainerFor")
    @JsonPropertyDescription("The predictor this Service explains, for explainers.")
    private String explainerFor;

    public String getSvcName() {
        return svcName;
    }

    public void setSvcName(String svcName) {
        this.svcName = svcName;
    }

    public String getHttpEndpoint() {
        return httpEndpoint;
    }

    public void setHttpEndpoint(String httpEndpoint) {
        this.httpEndpoint = httpEndpoint;
    }

    public String getGrpcEndpoint() {
        return grpcEndpoint;
    }

    public void setGrpcEndpoint(String grpcEndpoint) {
        this.grpcEndpoint = grpcEndpoint;
    }

    public String getExplainerFor() {
        return explainerFor;
    }

    public void setExplainerFor(String explainerFor) {
        this.explainerFor = explainerFor;
    }
}
