package dev.seldonj.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Autoscaling settings rendered as an autoscaling/v2 HorizontalPodAutoscaler. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"minReplicas", "maxReplicas", "metrics", "metricsv2"})
public class SeldonHpaSpec {

    @JsonProperty("minReplicas")
    @JsonPropertyDescription("Lower limit of replicas.")
    private Integer minReplicas;

    @Required
    @JsonProperty("maxReplicas")
    @JsonPropertyDescription("Upper limit of replicas.")
    private Integer maxReplicas;

    @SchemaFrom(type = EmbeddedObject[].class)
    @JsonProperty("metrics")
    @JsonPropertyDescription("Metrics in the autoscaling/v2beta1 form; converted to v2.")
    private List<io.fabric8.kubernetes.api.model.autoscaling.v2beta1.MetricSpec> metrics;

    @SchemaFrom(type = EmbeddedObject[].class)
    @JsonProperty("metricsv2")
    @JsonPropertyDescription("Metrics in the autoscaling/v2 form.")
    private List<io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec> metricsv2;

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public List<io.fabric8.kubernetes.api.model.autoscaling.v2beta1.MetricSpec> getMetrics() {
        return metrics;
    }

    public void setMetrics(List<io.fabric8.kubernetes.api.model.autoscaling.v2beta1.MetricSpec> metrics) {
        this.metrics = metrics;
    }

    public List<io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec> getMetricsv2() {
        return metricsv2;
    }

    public void setMetricsv2(List<io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec> metricsv2) {
        this.metricsv2 = metricsv2;
    }
}
