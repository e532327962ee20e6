package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** TLS settings. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"certSecretName"})
public class Ssl {

    @JsonProperty("certSecretName")
    @JsonPropertyDescription("Secret with tls.crt and tls.key, mounted at /cert/.")
    private String certSecretName;

    public String getCertSecretName() {
        return certSecretName;
    }

    public void setCertSecretName(String certSecretName) {
        this.certSecretName = certSecretName;
    }
}
