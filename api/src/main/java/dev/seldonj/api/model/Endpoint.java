package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Where a graph node is served; normally filled in by the controller. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"service_host", "service_port", "type", "httpPort", "grpcPort"})
public class Endpoint {

    @JsonProperty("service_host")
    @JsonPropertyDescription("Host of the node.")
    private String serviceHost;

    @JsonProperty("service_port")
    @JsonPropertyDescription("Port for its transport.")
    private Integer servicePort;

    @JsonProperty("type")
    @JsonPropertyDescription("REST or GRPC.")
    private EndpointType type;

    @JsonProperty("httpPort")
    @JsonPropertyDescription("HTTP port of the node.")
    private Integer httpPort;

    @JsonProperty("grpcPort")
    @JsonPropertyDescription("gRPC port of the node.")
    private Integer grpcPort;

    public String getServiceHost() {
        return serviceHost;
    }

    public void setServiceHost(String serviceHost) {
        this.serviceHost = serviceHost;
    }

    public Integer getServicePort() {
        return servicePort;
    }

    public void setServicePort(Integer servicePort) {
        this.servicePort = servicePort;
    }

    public EndpointType getType() {
        return type;
    }

    public void setType(EndpointType type) {
        this.type = type;
    }

    public Integer getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(Integer httpPort) {
        this.httpPort = httpPort;
    }

    public Integer getGrpcPort() {
        return grpcPort;
    }

    public void setGrpcPort(Integer grpcPort) {
        this.grpcPort = grpcPort;
    }
}
