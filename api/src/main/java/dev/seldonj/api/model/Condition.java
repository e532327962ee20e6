package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A condition in the Knative style. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "status", "severity", "lastTransitionTime", "reason", "message"})
public class Condition {

    @JsonProperty("type")
    @JsonPropertyDescription("Condition type, e.g. Ready or DeploymentsReady.")
    private String type;

    @JsonProperty("status")
    @JsonPropertyDescription("True, False or Unknown.")
    private String status;

    @JsonProperty("severity")
    @JsonPropertyDescription("Error, Warning or Info; empty means Error.")
    private String severity;

    @JsonProperty("lastTransitionTime")
    @JsonPropertyDescription("When the condition last changed (RFC 3339).")
    private String lastTransitionTime;

    @JsonProperty("reason")
    @JsonPropertyDescription("One-word reason.")
    private String reason;

    @JsonProperty("message")
    @JsonPropertyDescription("Human-readable details.")
    private String message;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getSeverity() {
        return severity;
    }

    public void setSeverity(String severity) {
        this.severity = severity;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
